using System;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// The OVHcloud API credential parameters the OVH cmdlets share, and the client they give:
/// parameters, else the Connect-ExchangeDiagOvh session, else OVH_* variables and ovh.conf.
/// </summary>
public abstract class OvhCommand : AsyncPSCmdlet
{
    private const int DefaultCallTimeoutSeconds = 30;
    private OvhClientUse? _client;

    /// <summary>ovh-eu, ovh-ca, ovh-us, or the API's https:// base URL.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ApplicationKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ApplicationSecret { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ConsumerKey { get; set; }

    /// <summary>The longest one input may take.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSeconds { get; set; } = 30;

    protected TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    protected OvhCredentialParameters CredentialParameters => new OvhCredentialParameters
    {
        Endpoint = Endpoint,
        ApplicationKey = ApplicationKey,
        ApplicationSecret = ApplicationSecret,
        ConsumerKey = ConsumerKey,
    };

    /// <summary>
    /// The client from the parameters, the session, or the environment and ovh.conf; false when
    /// there are no credentials. Incomplete credentials are reported as a warning and give false.
    /// The client's verbose lines go to this cmdlet until it ends.
    /// </summary>
    protected bool TryGetClient(out OvhClient? client)
    {
        if (!TryAcquireClient(out string? problem) && problem != null)
        {
            WriteWarning(problem + ".");
        }

        client = _client?.Client;
        return client != null;
    }

    /// <summary>The client, or a terminating error that says where credentials come from.</summary>
    protected OvhClient RequireClient()
    {
        if (!TryAcquireClient(out string? problem))
        {
            ThrowTerminatingError(problem != null
                ? new ErrorRecord(new ArgumentException(Texts.Commands.Format("Ovh_Problem", problem)), "IncompleteOvhCredentials", ErrorCategory.InvalidArgument, null)
                : new ErrorRecord(
                    new InvalidOperationException(Texts.Commands["Ovh_NoCredentials"]),
                    "NoOvhCredentials",
                    ErrorCategory.AuthenticationError,
                    null));
        }

        return _client!.Client;
    }

    private bool TryAcquireClient(out string? problem)
    {
        problem = null;
        if (_client != null)
        {
            return true;
        }

        // A call's retries must give up before the input's own deadline, or the outage reads as a timeout.
        TimeSpan callTimeout = TimeSpan.FromSeconds(Math.Min(TimeoutSeconds, DefaultCallTimeoutSeconds));
        _client = OvhClientUse.TryStart(this, CredentialParameters, WriteVerboseFromAnyThread, callTimeout, out problem);
        if (_client == null)
        {
            return false;
        }

        Secrets.Add(_client.Client.Secrets);
        WriteVerbose($"OVHcloud API: {_client.Client.Credentials}{(_client.Owned ? string.Empty : " (Connect-ExchangeDiagOvh session)")}.");
        return true;
    }

    /// <summary>Waits for work on other threads, replaying their pipeline calls; Ctrl+C stops at once.</summary>
    protected T Await<T>(Task<T> work)
    {
        work.ContinueWith(_ => OnPipelineThread(() => { }), TaskScheduler.Default);
        RunQueuedActionsUntil(() => work.IsCompleted);
        return work.GetAwaiter().GetResult();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client?.Dispose();
            _client = null;
        }

        base.Dispose(disposing);
    }
}
