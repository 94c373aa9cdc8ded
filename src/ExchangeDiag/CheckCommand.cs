using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Commands;

/// <summary>
/// Parameters and pipeline handling shared by every Test-* cmdlet: inputs from the pipeline are
/// checked concurrently (where the cmdlet allows it) and their results come out in input order.
/// </summary>
public abstract class CheckCommand<TResult> : AsyncPSCmdlet
    where TResult : class, ICheckOutcome
{
    private readonly Queue<Task<Outcome>> _inFlight = new Queue<Task<Outcome>>();
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();

    // The input the code running on a thread checks: it flows with the check's awaits.
    private readonly AsyncLocal<string?> _checking = new AsyncLocal<string?>();
    private SemaphoreSlim? _throttle;
    private int _started;

    // Decided on the pipeline thread before any check starts, so no early line goes out unnamed.
    private volatile bool _nameInputs;
    private int _finished;

    // Made once, not for each of a million pipeline inputs.
    private Func<bool>? _fewPending;

    /// <summary>DNS servers to ask instead of the system resolvers: host, host:port, or [IPv6]:port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsServer { get; set; }

    /// <summary>The longest one input's check may take.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Return only $true or $false per input.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Asks the DNS servers of this invocation.</summary>
    protected DnsQuerier Dns { get; private set; } = null!;

    protected TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>
    /// The language of the results' Message and Remediation; null for the PowerShell UI culture
    /// ($PSUICulture). A cmdlet with a -Culture parameter overrides it.
    /// </summary>
    protected virtual CultureInfo? MessageCulture => null;

    /// <summary>How many inputs are checked at the same time: one, unless the cmdlet offers -ThrottleLimit.</summary>
    protected virtual int Concurrency => 1;

    /// <summary>The values of the current pipeline input to check.</summary>
    protected abstract IEnumerable<string> InputValues { get; }

    /// <summary>The error id for an input that <see cref="Normalize"/> refuses, such as InvalidDomainName.</summary>
    protected abstract string InvalidInputErrorId { get; }

    /// <summary>Turns an input into what the check needs, or returns null with the reason.</summary>
    protected abstract string? Normalize(string input, out string? error);

    /// <summary>
    /// Refuses one input that <see cref="InputValues"/> cannot turn into a value to check: the error
    /// is queued with the results, so it comes out in input order.
    /// </summary>
    protected void Refuse(ErrorRecord error)
        => _inFlight.Enqueue(Task.FromResult(new Outcome(error)));

    /// <summary>
    /// Whether to check a normalised input at all: the cmdlets that send real mail ask
    /// ShouldProcess here, on the pipeline thread, so -WhatIf sends nothing and says what it would send.
    /// </summary>
    protected virtual bool ShouldCheck(string input) => true;

    /// <summary>
    /// When several inputs may run side by side (pipeline input, or several values), the checks'
    /// verbose lines (DNS, HTTP, SMTP traces) name the input they belong to, from the first line of
    /// the first input on: their lines interleave.
    /// </summary>
    protected override string? VerboseSubject => _nameInputs ? _checking.Value : null;

    /// <summary>Checks one normalised input. A problem found is a result; exceptions are bugs.</summary>
    protected abstract Task<TResult> CheckAsync(string input, CancellationToken stop);

    protected override void Begin()
    {
        IReadOnlyList<IPEndPoint> servers = ResolveDnsServers();
        try
        {
            // Without -Verbose, the querier does not even format its lines: a million domains ask a million questions.
            Dns = new DnsQuerier(servers, Timeout, VerboseWanted ? WriteVerboseFromAnyThread : null, CancelToken);
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "NoDnsServer", ErrorCategory.ResourceUnavailable, null));
        }

        WriteVerbose(DnsServer == null
            ? $"Asking the system resolvers: {Dns.ServerDescription}."
            : $"Asking {Dns.ServerDescription} (from -DnsServer).");
        _throttle = new SemaphoreSlim(Concurrency);
    }

    /// <summary>The errors of bad input are written in the language of the results.</summary>
    protected override CultureInfo? TextCulture => MessageCulture;

    protected sealed override void ProcessRecord() => InTextCulture(Process);

    /// <summary>What ProcessRecord does, in the language of the results (-Culture when the cmdlet has it).</summary>
    protected virtual void Process()
    {
        // Not enumerated here: an input source may refuse values as it goes, in their order.
        _nameInputs |= MyInvocation.ExpectingInput || (InputValues is ICollection<string> values && values.Count > 1);
        foreach (string input in InputValues)
        {
            string? value = Normalize(input, out string? why);
            if (value == null)
            {
                // Queued with the results, so errors and -Quiet answers keep the input order.
                Refuse(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Input_Refused", input, why)), InvalidInputErrorId, ErrorCategory.InvalidArgument, input));
                continue;
            }

            if (!ShouldCheck(value))
            {
                continue;
            }

            _inFlight.Enqueue(Start(value));
        }

        // Keep a bounded number of results waiting so a long pipeline streams out steadily.
        RunQueuedActionsUntil(_fewPending ??= () => WriteFinished() <= Concurrency * 4);
    }

    protected override void EndProcessing() => InTextCulture(() =>
    {
        RunQueuedActionsUntil(() => WriteFinished() == 0);
        if (_started > 1)
        {
            WriteProgress(new ProgressRecord(0, MyInvocation.MyCommand.Name, Texts.Commands["Progress_Done"]) { RecordType = ProgressRecordType.Completed });
        }
    });

    protected override void Dispose(bool disposing)
    {
        // Cancelled first: questions still in flight then end as cancelled, not as "no answer".
        base.Dispose(disposing);
        if (disposing)
        {
            _throttle?.Dispose();
            Dns?.Dispose();
        }
    }

    private Task<Outcome> Start(string input)
    {
        Interlocked.Increment(ref _started);

        // Slots are asked for here, on the pipeline thread, so inputs start in their order.
        Task slot = _throttle!.WaitAsync(CancelToken);
        CancellationToken stop = CancelToken;

        // Checks run on thread-pool threads, which do not carry the pipeline's UI culture: the
        // texts are written in the culture read here, on the pipeline thread.
        CultureInfo culture = MessageCulture ?? CultureInfo.CurrentUICulture;

        // The input names the verbose lines of its check; with no verbose line to name, nothing is
        // set: each AsyncLocal set copies the execution context, for every input of a bulk run.
        bool nameLines = VerboseWanted;
        Task<Outcome> task = Task.Run(async () =>
        {
            // Usually the culture flowed here with the execution context already: set it only when not.
            if (!ReferenceEquals(CultureInfo.CurrentUICulture, culture))
            {
                CultureInfo.CurrentUICulture = culture;
            }

            if (nameLines)
            {
                _checking.Value = input;
            }

            await slot.ConfigureAwait(false);
            try
            {
                return new Outcome(await CheckAsync(input, stop).ConfigureAwait(false));
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                return new Outcome(RedactedError(ex, "CheckFailed", ErrorCategory.NotSpecified, input));
            }
            finally
            {
                ReleaseSlot();
            }
        });

        // Wakes the pipeline thread, which then writes whatever has finished in order.
        task.ContinueWith(WakePipelineThread, this, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return task;
    }

    private static readonly Action Nothing = () => { };

    private static readonly Action<Task<Outcome>, object?> WakePipelineThread = (_, command) => ((CheckCommand<TResult>)command!).OnPipelineThread(Nothing);

    private void ReleaseSlot()
    {
        try
        {
            _throttle?.Release();
        }
        catch (ObjectDisposedException)
        {
            // The cmdlet was stopped and disposed while this check wound down.
        }
    }

    /// <summary>Writes the finished outcomes at the head of the queue; returns how many are still pending.</summary>
    private int WriteFinished()
    {
        while (_inFlight.Count > 0 && _inFlight.Peek().IsCompleted)
        {
            Task<Outcome> task = _inFlight.Dequeue();
            if (task.IsCanceled || task.IsFaulted)
            {
                throw new PipelineStoppedException();
            }

            _finished++;
            Outcome outcome = task.Result;
            if (outcome.Error != null)
            {
                CultureInfo? errorText = EnterSessionCulture();
                try
                {
                    WriteError(outcome.Error);
                    if (Quiet.IsPresent)
                    {
                        WriteObject(false);
                    }
                }
                finally
                {
                    LeaveSessionCulture(errorText);
                }

                continue;
            }

            TResult result = outcome.Result!;
            if (result is CheckResult checkResult)
            {
                Secrets.Clean(checkResult);
            }

            if (VerboseWanted)
            {
                WriteVerbose($"{Subject(result)}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms.");
            }

            object written = Quiet.IsPresent ? (object)result.Passed : ViewNames.ForCulture(result, MessageCulture ?? CultureInfo.CurrentUICulture);
            CultureInfo? text = EnterSessionCulture();
            try
            {
                WriteObject(written);
            }
            finally
            {
                LeaveSessionCulture(text);
            }
        }

        ReportProgress();
        return _inFlight.Count;
    }

    /// <summary>What an outcome is about, for -Verbose: "Mx contoso.com", or a mailbox's address.</summary>
    private static string Subject(TResult result) => result switch
    {
        CheckResult check => $"{check.Check} {check.Target}",
        DiagnosticReport report => report.EmailAddress,
        _ => result.ToString() ?? string.Empty,
    };

    private void ReportProgress()
    {
        if (_started < 2 || _sinceProgress.ElapsedMilliseconds < 250)
        {
            return;
        }

        _sinceProgress.Restart();
        WriteProgress(new ProgressRecord(0, MyInvocation.MyCommand.Name, Texts.Commands.Format("Progress_Checked", _finished, _started))
        {
            PercentComplete = _finished * 100 / _started,
        });
    }

    private IReadOnlyList<IPEndPoint> ResolveDnsServers()
    {
        var endPoints = new List<IPEndPoint>();
        foreach (string text in DnsServer ?? Array.Empty<string>())
        {
            DnsServerAddress? server = DnsServerAddress.TryParse(text, out string? why);
            if (server == null)
            {
                var error = new ArgumentException(Texts.Commands.Format("DnsServer_Invalid", text, why));
                ThrowTerminatingError(new ErrorRecord(error, "InvalidDnsServer", ErrorCategory.InvalidArgument, text));
                continue;
            }

            if (server.Address != null)
            {
                endPoints.Add(new IPEndPoint(server.Address, server.Port));
                continue;
            }

            IPAddress[] addresses = ResolveServerName(server);
            endPoints.AddRange(addresses.Select(a => new IPEndPoint(a, server.Port)));
        }

        return endPoints;
    }

    private IPAddress[] ResolveServerName(DnsServerAddress server)
    {
        WriteVerbose($"Resolving the DNS server name {server.Host} with the system resolver.");
        Task<IPAddress[]> lookup = System.Net.Dns.GetHostAddressesAsync(server.Host);
        Exception? failure = null;
        try
        {
            if (lookup.Wait((int)Timeout.TotalMilliseconds, CancelToken) && lookup.Result.Length > 0)
            {
                return lookup.Result;
            }
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (AggregateException ex)
        {
            failure = ex.InnerException;
        }

        var error = new ArgumentException(failure == null ? Texts.Commands.Format("DnsServer_NotResolved", server.Host) : Texts.Commands.Format("DnsServer_NotResolvedBecause", server.Host, failure.Message), failure);
        ThrowTerminatingError(new ErrorRecord(error, "DnsServerNotResolved", ErrorCategory.ObjectNotFound, server.Host));
        return Array.Empty<IPAddress>();
    }

    /// <summary>What one input produced: a result, or an error record.</summary>
    private sealed class Outcome
    {
        public Outcome(TResult result) => Result = result;

        public Outcome(ErrorRecord error) => Error = error;

        public TResult? Result { get; }

        public ErrorRecord? Error { get; }
    }
}
