using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// Connect-ExchangeDiagOvh: checks OVHcloud API credentials with one signed call and keeps them
/// for the rest of the PowerShell session, so the other OVH cmdlets need none.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ExchangeDiagOvh", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Connect-ExchangeDiagOvh.md")]
[OutputType(typeof(OvhConnection))]
public sealed class ConnectExchangeDiagOvhCommand : OvhCommand
{
    protected override void EndProcessing()
    {
        // Parameters, else the OVH_* variables and ovh.conf: never the session being replaced.
        OvhCredentials? credentials = OvhSession.ResolveCredentials(this, CredentialParameters, out string? problem);
        if (credentials == null)
        {
            string message = problem == null ? Texts.Commands["Ovh_NoCredentialsToConnect"] : Texts.Commands.Format("Ovh_Problem", problem);
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(message), problem == null ? "NoOvhCredentials" : "IncompleteOvhCredentials", ErrorCategory.InvalidArgument, null));
            return;
        }

        var client = new OvhClient(credentials) { Log = WriteVerboseFromAnyThread, Timeout = Timeout };
        string? status;
        try
        {
            status = Await(client.GetCurrentCredentialStatusAsync(CancelToken));
        }
        catch (OvhApiException ex)
        {
            client.Dispose();
            ErrorCategory category = ex.Failure == OvhFailure.CredentialsRefused ? ErrorCategory.AuthenticationError : ErrorCategory.ConnectionError;
            ThrowTerminatingError(new ErrorRecord(ex, "OvhConnectFailed", category, credentials.Endpoint.ToString()));
            return;
        }

        client.Log = null;
        client.Timeout = TimeSpan.FromSeconds(30);
        OvhSession.Set(client);
        WriteVerbose($"Connected to {credentials}; the session keeps it until Disconnect-ExchangeDiagOvh.");
        WriteObject(new OvhConnection(credentials.Endpoint.ToString(), credentials.ApplicationKey, credentials.Source, status, client.TimeDelta));
    }
}
