using System;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>Get-ExchangeAccountState: what the provider's API says about a mailbox (spam block, subscription, lock).</summary>
[Cmdlet(VerbsCommon.Get, "ExchangeAccountState")]
[OutputType(typeof(AccountStateResult))]
public sealed class GetExchangeAccountStateCommand : OvhCommand
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PrimarySmtpAddress", "UserPrincipalName")]
    [AllowEmptyString]
    public string[] EmailAddress { get; set; } = Array.Empty<string>();

    /// <summary>The Exchange organization, such as hosted-ab12345-1; found by listing when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>The Exchange service, such as hosted-ab12345-1; found by listing when omitted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    protected override void BeginProcessing() => RequireClient();

    protected override void ProcessRecord()
    {
        OvhClient client = RequireClient();
        foreach (string input in EmailAddress)
        {
            string? address = HostNames.NormalizeEmailAddress(input, out string? why);
            if (address == null)
            {
                WriteError(new ErrorRecord(new ArgumentException($"'{input}' {why}."), "InvalidEmailAddress", ErrorCategory.InvalidArgument, input));
                continue;
            }

            AccountStateResult result = Await(AccountStateCheck.RunAsync(client, address, Organization, Service, Timeout, CancelToken));
            WriteVerbose($"{result.Check} {result.Target}: {result.Status} in {result.Duration.TotalMilliseconds:0} ms.");
            WriteObject(result);
        }
    }
}
