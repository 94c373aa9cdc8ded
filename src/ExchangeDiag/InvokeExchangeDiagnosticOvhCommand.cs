using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// Invoke-ExchangeDiagnosticOvh: runs the provider's own diagnosis of a mailbox (the control
/// panel's), which logs in with the mailbox's password, and returns its eight answers.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ExchangeDiagnosticOvh", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Invoke-ExchangeDiagnosticOvh.md")]
[OutputType(typeof(ProviderDiagnosisResult))]
#if NET
// The name before the cmdlets were made consistent, for the scripts written for it. On PowerShell 7
// the cmdlets are a binary module of their own (ExchangeDiag.Loader.psd1), which takes its aliases
// from here; Windows PowerShell's ExchangeDiag.Desktop.ps1 sets the same alias itself.
[Alias("Invoke-OvhExchangeDiagnosis")]
#endif
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

    /// <summary>The mailbox this invocation's password belongs to, once one was diagnosed.</summary>
    private string? _mailbox;

    protected override void ProcessRecord()
    {
        if (EmailAddressOrError(EmailAddress ?? Credential.UserName) is string address && IsCredentialsMailbox(address))
        {
            Secrets.Add(Credential.GetNetworkCredential());
            WriteVerbose($"Starting the provider's diagnosis of {address}; it polls every {PollInterval.TotalSeconds:0} s for at most {TimeoutSeconds} s.");
            WriteCheck(ProviderDiagnosisCheck.RunAsync(RequireClient(), address, Credential.Password, Organization, Service, PollInterval, Timeout, CancelToken));
        }
    }

    /// <summary>
    /// The provider's diagnosis logs in with the password: one mailbox's password is never sent in
    /// another's name (Get-Mailbox piped with one credential), nor for a second mailbox in one run.
    /// </summary>
    private bool IsCredentialsMailbox(string address)
    {
        string user = Credential.UserName ?? string.Empty;
        string? why = user.Contains("@") && !string.Equals(user, address, StringComparison.OrdinalIgnoreCase)
            ? Texts.Commands.Format("Credential_ProviderOtherUser", user)
            : _mailbox != null && !string.Equals(_mailbox, address, StringComparison.OrdinalIgnoreCase)
            ? Texts.Commands.Format("Credential_ProviderPasswordReused", _mailbox)
            : null;
        if (why != null)
        {
            WriteError(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Input_Refused", address, why)), "CredentialMismatch", ErrorCategory.InvalidArgument, address));
            return false;
        }

        _mailbox = address;
        return true;
    }
}
