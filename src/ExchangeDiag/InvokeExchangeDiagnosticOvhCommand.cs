using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// Invoke-ExchangeDiagnosticOvh: runs the provider's own diagnosis of a mailbox (the control
/// panel's), which logs in with the mailbox's password, and returns its eight answers.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ExchangeDiagnosticOvh")]
[OutputType(typeof(ProviderDiagnosisResult))]
public sealed class InvokeExchangeDiagnosticOvhCommand : OvhAccountCommand
{
    /// <summary>As the control panel does.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public InvokeExchangeDiagnosticOvhCommand()
    {
        // The provider says its diagnosis takes 3 to 10 minutes.
        TimeoutSeconds = 600;
    }

    /// <summary>The mailbox; the credential's user name when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [ValidateNotNullOrEmpty]
    public string? EmailAddress { get; set; }

    /// <summary>The mailbox's password, which the provider's diagnosis logs in with.</summary>
    [Parameter(Mandatory = true)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    protected override void ProcessRecord()
    {
        if (EmailAddressOrError(EmailAddress ?? Credential.UserName) is string address)
        {
            Secrets.Add(Credential.GetNetworkCredential());
            WriteVerbose($"Starting the provider's diagnosis of {address}; it polls every {PollInterval.TotalSeconds:0} s for at most {TimeoutSeconds} s.");
            WriteCheck(ProviderDiagnosisCheck.RunAsync(RequireClient(), address, Credential.Password, Organization, Service, PollInterval, Timeout, CancelToken));
        }
    }
}
