using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeSmtpSend: can the mailbox send? Submits one labelled test message.</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeSmtpSend", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeSmtpSend.md")]
[OutputType(typeof(SmtpSendResult), typeof(bool))]
public sealed class TestExchangeSmtpSendCommand : ServerLoginCommand<SmtpSendResult>
{
    /// <summary>The submission server, such as ex4.mail.ovh.net.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("SmtpServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The submission port: 587 (STARTTLS) by default, 465 with -Security SslOnConnect.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>The sender; the credential's user name when omitted.</summary>
    [Parameter]
    public string? From { get; set; }

    /// <summary>The recipient; the sender itself when omitted.</summary>
    [Parameter]
    public string? To { get; set; }

    /// <summary>How TLS is reached: StartTls (default), SslOnConnect, or Auto.</summary>
    [Parameter]
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Send the credentials even when the server offers no TLS (a Warning step says so).</summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuth { get; set; }

    private protected override Auth.MailProtocol[] Protocols => new[] { Auth.MailProtocol.Smtp };

    private protected override string? NamedServer(string input) => input;

    protected override IEnumerable<string> InputValues => Server;

    protected override void Begin()
    {
        base.Begin();

        // Checked before any connection: a sender MimeKit cannot use would otherwise cost a login.
        string from = From ?? LoginUserName;
        foreach ((string name, string? address) in new[] { (nameof(From), (string?)from), (nameof(To), To) })
        {
            if (address != null && !SmtpSendCheck.IsMailboxAddress(address))
            {
                string why = name == nameof(From) && From == null ? Texts.Commands.Format("Credential_UserNotAddress", address) : Texts.Commands.Format("Parameter_NotAddress", name, address);
                ThrowTerminatingError(new ErrorRecord(new ArgumentException(why), "Invalid" + name, ErrorCategory.InvalidArgument, address));
            }
        }
    }

    protected override string InvalidInputErrorId => "InvalidServerName";

    protected override string? Normalize(string input, out string? error) => HostNames.NormalizeServer(input, out error);

    protected override bool ShouldCheckInput(string input)
    {
        string from = string.IsNullOrWhiteSpace(From) ? LoginUserName : From!;
        return ShouldProcess($"{input}:{Port}", Texts.Commands.Format("WhatIf_SmtpSend", from, string.IsNullOrWhiteSpace(To) ? from : To));
    }

    protected override SmtpSendResult Skipped(string input, string reason) => SkippedResults.SmtpSend(input, Port, reason);

    protected override Task<SmtpSendResult> CheckWithCredentialAsync(string input, CancellationToken stop)
    {
        string from = string.IsNullOrWhiteSpace(From) ? LoginUserName : From!;
        var request = new SmtpSendRequest(input, Port, Login, from, string.IsNullOrWhiteSpace(To) ? from : To!)
        {
            Security = Security,
            SkipCertificateCheck = SkipCertificateCheck.IsPresent,
            AllowUnencryptedAuth = AllowUnencryptedAuth.IsPresent,
        };
        return SmtpSendCheck.RunAsync(request, Dns, Timeout, stop);
    }
}
