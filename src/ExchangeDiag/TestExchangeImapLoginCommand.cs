using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeImapLogin: does IMAP accept the mailbox's credentials, and is INBOX readable?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeImapLogin", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeImapLogin.md")]
[OutputType(typeof(ImapLoginResult), typeof(bool))]
public sealed class TestExchangeImapLoginCommand : ServerLoginCommand<ImapLoginResult>
{
    /// <summary>The IMAP server, such as ex4.mail.ovh.net.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ImapServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The IMAP port: 993 (TLS) by default, 143 with STARTTLS.</summary>
    [Parameter]
    [ValidateRange(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary>How TLS is reached: Auto (default: TLS on 993, STARTTLS elsewhere), StartTls or SslOnConnect.</summary>
    [Parameter]
    public MailSecurity Security { get; set; } = MailSecurity.Auto;

    private protected override Auth.MailProtocol[] Protocols => new[] { Auth.MailProtocol.Imap };

    private protected override string? NamedServer(string input) => input;

    protected override IEnumerable<string> InputValues => Server;

    protected override string InvalidInputErrorId => "InvalidServerName";

    protected override string? Normalize(string input, out string? error) => HostNames.NormalizeServer(input, out error);

    protected override ImapLoginResult Skipped(string input, string reason) => SkippedResults.ImapLogin(input, Port, reason);

    protected override Task<ImapLoginResult> CheckWithCredentialAsync(string input, CancellationToken stop)
        => ImapLoginCheck.RunAsync(input, Port, Security, Login, SkipCertificates, Dns, Timeout, stop);
}
