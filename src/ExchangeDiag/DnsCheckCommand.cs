using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Commands;

/// <summary>
/// Parameters and pipeline handling shared by the DNS checks: domains from the pipeline are
/// checked concurrently (up to -ThrottleLimit) and their results come out in input order.
/// </summary>
public abstract class DnsCheckCommand<TResult> : AsyncPSCmdlet
    where TResult : CheckResult
{
    private readonly Queue<Task<TResult?>> _inFlight = new Queue<Task<TResult?>>();
    private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
    private SemaphoreSlim? _throttle;
    private int _started;
    private int _finished;

    /// <summary>The domains to check; an e-mail address stands for its domain.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("EmailAddress")]
    [AllowEmptyString]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>The hosted Exchange offer whose documented DNS values are expected.</summary>
    [Parameter]
    public MailProvider? Provider { get; set; }

    /// <summary>DNS servers to ask instead of the system resolvers: host, host:port, or [IPv6]:port.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsServer { get; set; }

    /// <summary>The longest one domain's check may take.</summary>
    [Parameter]
    [ValidateRange(1, 600)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How many domains are checked at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    /// <summary>Return only $true or $false per domain.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Asks the DNS servers of this invocation.</summary>
    protected DnsQuerier Dns { get; private set; } = null!;

    protected TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Checks one normalised domain. A problem found is a result; exceptions are bugs.</summary>
    protected abstract Task<TResult> CheckAsync(string domain, CancellationToken stop);

    protected override void BeginProcessing()
    {
        IReadOnlyList<IPEndPoint> servers = ResolveDnsServers();
        try
        {
            Dns = new DnsQuerier(servers, Timeout, WriteVerboseFromAnyThread, CancelToken);
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "NoDnsServer", ErrorCategory.ResourceUnavailable, null));
        }

        WriteVerbose(DnsServer == null
            ? $"Asking the system resolvers: {Dns.ServerDescription}."
            : $"Asking {Dns.ServerDescription} (from -DnsServer).");
        _throttle = new SemaphoreSlim(ThrottleLimit);
    }

    protected override void ProcessRecord()
    {
        foreach (string input in Domain)
        {
            string? domain = DomainName.TryNormalize(input, out string? why);
            if (domain == null)
            {
                var error = new ArgumentException($"'{input}' is not a domain name: {why}.");
                WriteError(new ErrorRecord(error, "InvalidDomainName", ErrorCategory.InvalidArgument, input));
                continue;
            }

            _inFlight.Enqueue(Start(domain));
        }

        WriteFinished();

        // Keep a bounded number of results waiting so a long pipeline streams out steadily.
        RunQueuedActionsUntil(() => WriteFinished() <= ThrottleLimit * 4);
    }

    protected override void EndProcessing()
    {
        RunQueuedActionsUntil(() => WriteFinished() == 0);
        if (_started > 1)
        {
            WriteProgress(new ProgressRecord(0, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _throttle?.Dispose();
        }

        base.Dispose(disposing);
    }

    private Task<TResult?> Start(string domain)
    {
        _started++;
        Task<TResult?> task = Task.Run(async () =>
        {
            await _throttle!.WaitAsync(CancelToken).ConfigureAwait(false);
            try
            {
                return await CheckAsync(domain, CancelToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                OnPipelineThread(() => WriteError(new ErrorRecord(ex, "CheckFailed", ErrorCategory.NotSpecified, domain)));
                return null;
            }
            finally
            {
                _throttle.Release();
            }
        });

        // Wakes the pipeline thread, which then writes whatever has finished in order.
        task.ContinueWith(_ => OnPipelineThread(() => { }), TaskScheduler.Default);
        return task;
    }

    /// <summary>Writes the finished results at the head of the queue; returns how many are still pending.</summary>
    private int WriteFinished()
    {
        while (_inFlight.Count > 0 && _inFlight.Peek().IsCompleted)
        {
            Task<TResult?> task = _inFlight.Dequeue();
            if (task.IsCanceled)
            {
                throw new PipelineStoppedException();
            }

            _finished++;
            TResult? result = task.Result;
            if (result == null)
            {
                continue;
            }

            WriteVerbose($"{result.Check} {result.Target}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms.");
            WriteObject(Quiet.IsPresent ? (object)result.Passed : result);
        }

        ReportProgress();
        return _inFlight.Count;
    }

    private void ReportProgress()
    {
        if (_started < 2 || _sinceProgress.ElapsedMilliseconds < 250)
        {
            return;
        }

        _sinceProgress.Restart();
        WriteProgress(new ProgressRecord(0, MyInvocation.MyCommand.Name, $"{_finished} of {_started} domains checked")
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
                var error = new ArgumentException($"-DnsServer '{text}' is not valid: {why}.");
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
            if (lookup.Wait(Timeout) && lookup.Result.Length > 0)
            {
                return lookup.Result;
            }
        }
        catch (AggregateException ex)
        {
            failure = ex.InnerException;
        }

        var error = new ArgumentException($"-DnsServer '{server.Host}' could not be resolved to an address{(failure == null ? string.Empty : ": " + failure.Message)}.", failure);
        ThrowTerminatingError(new ErrorRecord(error, "DnsServerNotResolved", ErrorCategory.ObjectNotFound, server.Host));
        return Array.Empty<IPAddress>();
    }
}
