using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeAutodiscover: can Outlook find the mailbox's settings, and by which method?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeAutodiscover", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeAutodiscover.md")]
[OutputType(typeof(AutodiscoverResult), typeof(bool))]
public sealed class TestExchangeAutodiscoverCommand : AuthenticatedCheckCommand<AutodiscoverResult>
{
    public TestExchangeAutodiscoverCommand()
    {
        TimeoutSeconds = 60;
    }

    /// <summary>The mailboxes whose settings to discover.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] EmailAddress { get; set; } = Array.Empty<string>();

    private protected override bool InputsAreMailboxes => true;

    protected override IEnumerable<string> InputValues => EmailAddress;

    protected override string InvalidInputErrorId => "InvalidEmailAddress";

    protected override string? Normalize(string input, out string? error) => HostNames.NormalizeEmailAddress(input, out error);

    protected override AutodiscoverResult Skipped(string input, string reason) => SkippedResults.Autodiscover(input, reason);

    protected override async Task<AutodiscoverResult> CheckWithCredentialAsync(string input, CancellationToken stop)
    {
        using HttpSession http = NewHttpSession();
        return await AutodiscoverCheck.RunAsync(input, LoginFor(input), Dns, http, Timeout, stop).ConfigureAwait(false);
    }
}
