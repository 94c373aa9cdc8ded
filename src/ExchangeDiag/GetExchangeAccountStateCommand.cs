using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>Get-ExchangeAccountState: what the provider's API says about a mailbox (spam block, subscription, lock).</summary>
[Cmdlet(VerbsCommon.Get, "ExchangeAccountState", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Get-ExchangeAccountState.md")]
[OutputType(typeof(AccountStateResult))]
public sealed class GetExchangeAccountStateCommand : OvhAccountCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] EmailAddress { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        OvhClient client = RequireClient();
        foreach (string input in EmailAddress)
        {
            if (EmailAddressOrError(input) is string address)
            {
                WriteCheck(AccountStateCheck.RunAsync(client, address, Organization, Service, Timeout, CancelToken));
            }
        }
    }
}
