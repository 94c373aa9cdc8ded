using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// The OVHcloud API session of each PowerShell runspace (Connect-ExchangeDiagOvh), like
/// Connect-AzAccount's context: one client per runspace, so its server-time delta is asked once,
/// dropped by Disconnect-ExchangeDiagOvh or when the runspace closes.
/// </summary>
public static class OvhSession
{
    private static readonly ConcurrentDictionary<Guid, OvhClient> Clients = new ConcurrentDictionary<Guid, OvhClient>();

    /// <summary>The current runspace's session, or null.</summary>
    public static OvhClient? Current
        => Runspace.DefaultRunspace is Runspace runspace && Clients.TryGetValue(runspace.InstanceId, out OvhClient? client) ? client : null;

    internal static void Set(OvhClient client)
    {
        Runspace runspace = Runspace.DefaultRunspace ?? throw new InvalidOperationException("No runspace to keep the session in.");
        bool first = true;
        Clients.AddOrUpdate(runspace.InstanceId, client, (id, old) =>
        {
            first = false;
            old.Dispose();
            return client;
        });
        if (first)
        {
            runspace.StateChanged += (sender, e) =>
            {
                if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                {
                    Remove(runspace.InstanceId);
                }
            };
        }
    }

    /// <summary>Ends the current runspace's session; false when there was none.</summary>
    internal static bool Remove() => Runspace.DefaultRunspace is Runspace runspace && Remove(runspace.InstanceId);

    private static bool Remove(Guid runspaceId)
    {
        if (Clients.TryRemove(runspaceId, out OvhClient? client))
        {
            client.Dispose();
            return true;
        }

        return false;
    }

    /// <summary>
    /// The client a cmdlet should use: from its credential parameters when any is given (they win),
    /// else the runspace's session, else the OVH_* variables and ovh.conf files. False with no
    /// problem when there are none at all; false with <paramref name="problem"/> when they are
    /// incomplete or invalid. <paramref name="owned"/> says the caller must dispose the client.
    /// </summary>
    public static bool TryGetClient(PSCmdlet cmdlet, OvhCredentialParameters parameters, out OvhClient? client, out bool owned, out string? problem)
    {
        client = null;
        owned = false;
        problem = null;
        if (parameters.IsEmpty && Current is OvhClient session)
        {
            client = session;
            return true;
        }

        OvhCredentials? credentials = ResolveCredentials(cmdlet, parameters, out problem);
        if (credentials == null)
        {
            return false;
        }

        client = new OvhClient(credentials);
        owned = true;
        return true;
    }

    /// <summary>Credentials from the parameters, the OVH_* variables and the ovh.conf files (never the session).</summary>
    internal static OvhCredentials? ResolveCredentials(PSCmdlet cmdlet, OvhCredentialParameters parameters, out string? problem)
        => OvhCredentialResolver.Resolve(
            parameters,
            Environment.GetEnvironmentVariable,
            cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath,
            Home(),
            out problem);

    private static string? Home()
    {
        string? home = Environment.GetEnvironmentVariable("HOME");
        return string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home;
    }
}
