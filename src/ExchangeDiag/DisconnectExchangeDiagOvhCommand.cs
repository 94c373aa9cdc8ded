using System.Management.Automation;

namespace ExchangeDiag.Commands;

/// <summary>Disconnect-ExchangeDiagOvh: forgets the session's OVHcloud API credentials.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ExchangeDiagOvh", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Disconnect-ExchangeDiagOvh.md")]
[OutputType(typeof(void))]
public sealed class DisconnectExchangeDiagOvhCommand : PSCmdlet
{
    protected override void EndProcessing()
        => WriteVerbose(OvhSession.Remove() ? "The OVHcloud API session is closed." : "There was no OVHcloud API session.");
}
