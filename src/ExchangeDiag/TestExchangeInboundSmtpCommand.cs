using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeInboundSmtp: would mail from outside reach this recipient through the domain's MX?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeInboundSmtp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeInboundSmtp.md")]
[OutputType(typeof(InboundSmtpResult), typeof(bool))]
public sealed class TestExchangeInboundSmtpCommand : ParallelCheckCommand<InboundSmtpResult>
{
    public TestExchangeInboundSmtpCommand()
    {
        TimeoutSeconds = 30;
    }

    /// <summary>The recipients to test; their domain's MX records are followed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.EmailAddress, MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] Recipient { get; set; } = Array.Empty<string>();

    /// <summary>The domain whose MX records to follow; the recipient's domain when omitted.</summary>
    [Parameter]
    public string? Domain { get; set; }

    /// <summary>The port outside senders use: 25.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>Send a labelled test message instead of stopping before DATA.</summary>
    [Parameter]
    public SwitchParameter Deliver { get; set; }

    private string? _domain;

    protected override IEnumerable<string> InputValues => Recipient;

    protected override void Begin()
    {
        if (Domain != null)
        {
            _domain = DomainName.TryNormalize(Domain, out string? why);
            if (_domain == null)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Parameter_NotDomain", Domain, why)), "InvalidDomain", ErrorCategory.InvalidArgument, Domain));
            }
        }

        base.Begin();
    }

    protected override string InvalidInputErrorId => "InvalidEmailAddress";

    protected override string? Normalize(string input, out string? error) => HostNames.NormalizeEmailAddress(input, out error);

    /// <summary>Without -Deliver the check stops before DATA and sends nothing.</summary>
    protected override bool ShouldCheck(string input)
        => !Deliver.IsPresent || ShouldProcess(input, Texts.Commands.Format("WhatIf_InboundDeliver", _domain ?? input.Substring(input.LastIndexOf('@') + 1), Port));

    protected override Task<InboundSmtpResult> CheckAsync(string input, CancellationToken stop)
        => InboundSmtpCheck.RunAsync(_domain ?? input.Substring(input.LastIndexOf('@') + 1), input, Port, Deliver.IsPresent, Dns, Timeout, stop);
}
