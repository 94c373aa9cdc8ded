using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using System.Threading;

namespace ExchangeDiag.Commands;

/// <summary>
/// Base for cmdlets whose work runs asynchronously on other threads. PowerShell accepts
/// WriteObject, WriteError, WriteVerbose and WriteProgress only on the pipeline thread, so work
/// on other threads queues them here and the pipeline thread replays them while it waits.
/// Ctrl+C cancels <see cref="CancelToken"/> and ends the wait at once.
/// </summary>
public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
    private readonly BlockingCollection<Action> _forPipelineThread = new BlockingCollection<Action>();
    private int _disposed;
    private bool? _verboseWanted;

    protected AsyncPSCmdlet()
    {
        CancelToken = _stopping.Token;
    }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken CancelToken { get; }

    /// <summary>
    /// The secrets of this invocation (passwords, API keys), cut out of every verbose line, error
    /// and result it writes: a server may echo them in any text.
    /// </summary>
    protected SecretRedactor Secrets { get; } = new SecretRedactor();

    /// <summary>An error record for an unexpected exception whose message holds no secret (nor the inner exception's).</summary>
    protected ErrorRecord RedactedError(Exception exception, string errorId, ErrorCategory category, object? target)
    {
        string message = Secrets.Clean(exception.Message);
        Exception safe = ReferenceEquals(message, exception.Message) && exception.InnerException == null
            ? exception
            : new InvalidOperationException($"{exception.GetType().Name}: {message}");
        return new ErrorRecord(safe, errorId, category, target);
    }

    /// <summary>Loads the module's views on first use (see <see cref="FormatData"/>), registers Should -BeHealthyMailbox with a Pester loaded since (<see cref="PesterOperator"/>), then runs <see cref="Begin"/>.</summary>
    protected sealed override void BeginProcessing()
    {
        FormatData.EnsureLoaded(this);
        PesterOperator.EnsureRegistered(this);
        InTextCulture(Begin);
    }

    /// <summary>
    /// The language of the texts the invocation writes on the pipeline thread, errors of bad input
    /// included; null for the PowerShell UI culture. A cmdlet with -Culture returns it.
    /// </summary>
    protected virtual CultureInfo? TextCulture => null;

    /// <summary>The session's UI culture while <see cref="InTextCulture"/> has set another one; else null.</summary>
    private CultureInfo? _sessionCulture;

    /// <summary>Runs <paramref name="action"/> with the UI culture set to <see cref="TextCulture"/>, then puts the session's back.</summary>
    protected void InTextCulture(Action action)
    {
        CultureInfo? culture = TextCulture;
        if (culture == null)
        {
            action();
            return;
        }

        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            _sessionCulture = before;
            CultureInfo.CurrentUICulture = culture;
            action();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
            _sessionCulture = null;
        }
    }

    /// <summary>
    /// Puts the session's UI culture back for a write that runs the commands downstream (they run
    /// inside WriteObject, on this thread): -Culture chooses this cmdlet's texts, never theirs.
    /// Returns the culture to restore with <see cref="LeaveSessionCulture"/>.
    /// </summary>
    protected CultureInfo? EnterSessionCulture()
    {
        CultureInfo? session = _sessionCulture;
        CultureInfo current = CultureInfo.CurrentUICulture;
        if (session == null || ReferenceEquals(session, current))
        {
            return null;
        }

        CultureInfo.CurrentUICulture = session;
        return current;
    }

    protected static void LeaveSessionCulture(CultureInfo? text)
    {
        if (text != null)
        {
            CultureInfo.CurrentUICulture = text;
        }
    }

    /// <summary>What a cmdlet does before its first input: what BeginProcessing is for.</summary>
    protected virtual void Begin()
    {
    }

    protected override void StopProcessing()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _stopping.Cancel();
        }
    }

    /// <summary>Queues an action for the pipeline thread. Safe to call from any thread, at any time.</summary>
    protected void OnPipelineThread(Action action)
    {
        try
        {
            _forPipelineThread.Add(action);
        }
        catch (Exception ex) when (ex is InvalidOperationException || ex is ObjectDisposedException)
        {
            // The cmdlet has finished: late messages of cancelled work have nowhere to go.
        }
    }

    /// <summary>
    /// True when verbose lines are shown (-Verbose, or $VerbosePreference). Read it on the pipeline
    /// thread, in BeginProcessing: once read, verbose lines nobody sees are dropped where they are
    /// made, instead of being cleaned and queued by the hundred thousand.
    /// </summary>
    protected bool VerboseWanted => _verboseWanted ??= ReadVerbosePreference();

    private bool ReadVerbosePreference()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? given) && given is SwitchParameter verbose)
        {
            return verbose.IsPresent;
        }

        return GetVariableValue("VerbosePreference") is ActionPreference preference
            && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
    }

    /// <summary>
    /// What the work on the calling thread is about, such as the mailbox or server it checks, when
    /// its verbose lines must say so; null when they need not.
    /// </summary>
    protected virtual string? VerboseSubject => null;

    /// <summary>Writes a verbose line from any thread, after the subject of the work that wrote it, if any.</summary>
    protected void WriteVerboseFromAnyThread(string message)
    {
        if (_verboseWanted == false)
        {
            return;
        }

        string? subject = VerboseSubject;
        string safe = Secrets.Clean(subject == null ? message : $"{subject}: {message}");
        OnPipelineThread(() => WriteVerbose(safe));
    }

    /// <summary>Replays what other threads queued, without waiting.</summary>
    protected void RunQueuedActions()
    {
        while (_forPipelineThread.TryTake(out Action? action))
        {
            action();
        }
    }

    /// <summary>
    /// Replays queued actions until <paramref name="done"/> is true. Work that changes what
    /// <paramref name="done"/> sees must queue an action (even an empty one) to wake the wait.
    /// </summary>
    protected void RunQueuedActionsUntil(Func<bool> done)
    {
        while (!done())
        {
            Action action;
            try
            {
                action = _forPipelineThread.Take(CancelToken);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }

            action();
        }

        RunQueuedActions();
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        // Work still running after the cmdlet ends (cancelled checks winding down) may touch the
        // token and the queue: the token stays valid, the queue refuses quietly.
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _forPipelineThread.CompleteAdding();
        }
    }
}
