using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// One cmdlet's use of an OVHcloud API client: a client of its own, disposed at the end, or the
/// session's, lent with this cmdlet's verbose output and timeout and given back as it was.
/// </summary>
internal sealed class OvhClientUse : IDisposable
{
    private readonly Action<string>? _sessionLog;
    private readonly TimeSpan _sessionTimeout;

    private OvhClientUse(OvhClient client, bool owned, Action<string> log, TimeSpan timeout)
    {
        Client = client;
        Owned = owned;
        _sessionLog = client.Log;
        _sessionTimeout = client.Timeout;
        client.Log = log;
        client.Timeout = timeout;
    }

    public OvhClient Client { get; }

    /// <summary>True when the client came from parameters, variables or ovh.conf rather than the session.</summary>
    public bool Owned { get; }

    /// <summary>The client the credentials at hand give, or null (with the problem when they are incomplete).</summary>
    public static OvhClientUse? TryStart(PSCmdlet cmdlet, OvhCredentialParameters parameters, Action<string> log, TimeSpan timeout, out string? problem)
        => OvhSession.TryGetClient(cmdlet, parameters, out OvhClient? client, out bool owned, out problem)
            ? new OvhClientUse(client!, owned, log, timeout)
            : null;

    public void Dispose()
    {
        if (Owned)
        {
            Client.Dispose();
            return;
        }

        Client.Log = _sessionLog;
        Client.Timeout = _sessionTimeout;
    }
}
