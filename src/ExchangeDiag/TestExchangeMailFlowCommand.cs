using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeMailFlow: does a message from the mailbox to itself arrive, and how fast?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeMailFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeMailFlow.md")]
[OutputType(typeof(MailFlowResult), typeof(bool))]
public sealed class TestExchangeMailFlowCommand : AuthenticatedCheckCommand<MailFlowResult>
{
    private (string Host, int Port)? _smtp;
    private (string Host, int Port)? _imap;

    public TestExchangeMailFlowCommand()
    {
        TimeoutSeconds = 120;
    }

    /// <summary>The mailboxes to test; each sends to itself.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias(MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] EmailAddress { get; set; } = Array.Empty<string>();

    /// <summary>The submission server, host or host:port (587 when no port is given); found through Autodiscover when omitted.</summary>
    [Parameter]
    public string? SmtpServer { get; set; }

    /// <summary>The IMAP server, host or host:port (993 when no port is given); found through Autodiscover when omitted.</summary>
    [Parameter]
    public string? ImapServer { get; set; }

    /// <summary>Wait for the message Test-ExchangeInboundSmtp -Deliver sent with this token, instead of sending one.</summary>
    [Parameter]
    [ValidatePattern("^[0-9a-fA-F]{32}$")]
    public string? InboundToken { get; set; }

    private protected override Auth.MailProtocol[] Protocols => new[] { Auth.MailProtocol.Imap, Auth.MailProtocol.Smtp };

    private protected override IEnumerable<string> NamedServers => new[] { _smtp?.Host, _imap?.Host }.Where(h => h != null).Select(h => h!);

    private protected override bool InputsAreMailboxes => true;

    protected override IEnumerable<string> InputValues => EmailAddress;

    protected override string InvalidInputErrorId => "InvalidEmailAddress";

    protected override void Begin()
    {
        _smtp = SmtpServer == null ? null : HostAndPort(nameof(SmtpServer), SmtpServer, 587);
        _imap = ImapServer == null ? null : HostAndPort(nameof(ImapServer), ImapServer, 993);
        base.Begin();
    }

    protected override string? Normalize(string input, out string? error)
    {
        string? address = HostNames.NormalizeEmailAddress(input, out error);
        if (address != null && !SmtpSendCheck.IsMailboxAddress(address))
        {
            error = Texts.Commands["Input_NotSenderAddress"];
            return null;
        }

        return address;
    }

    /// <summary>
    /// Sending the test message, or, with -InboundToken, deleting the message Test-ExchangeInboundSmtp
    /// delivered once it arrives: both change the mailbox, so -WhatIf does neither.
    /// </summary>
    protected override bool ShouldCheckInput(string input)
        => InboundToken != null
            ? ShouldProcess(input, Texts.Commands["WhatIf_MailFlowCollect"])
            : ShouldProcess(input, Texts.Commands.Format("WhatIf_MailFlowSend", _smtp == null ? Texts.Commands["WhatIf_MailFlowAutodiscover"] : $"{_smtp.Value.Host}:{_smtp.Value.Port}"));

    protected override MailFlowResult Skipped(string input, string reason) => SkippedResults.MailFlow(input, reason);

    protected override async Task<MailFlowResult> CheckWithCredentialAsync(string input, CancellationToken stop)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (string Host, int Port)? smtp = _smtp;
        (string Host, int Port)? imap = _imap;
        string source = "given with -SmtpServer and -ImapServer";
        if (smtp == null || imap == null)
        {
            // The Exchange server that Autodiscover names serves submission and IMAP too, as at OVHcloud.
            using HttpSession http = NewHttpSession();
            // Discovery takes at most a third of -TimeoutSeconds; the rest is for sending and waiting.
            AutodiscoverResult discovery = await AutodiscoverCheck.RunAsync(input, LoginFor(input), Dns, http, TimeSpan.FromSeconds(TimeoutSeconds / 3.0), stop).ConfigureAwait(false);
            if (discovery.EwsUrl == null || !discovery.Passed)
            {
                return MailFlowCheck.ServersNotFound(input, discovery);
            }

            string host = new Uri(discovery.EwsUrl).Host;
            smtp ??= (host, 587);
            imap ??= (host, 993);
            source = $"{host}, the server Autodiscover names (by {discovery.Method})";
        }

        var request = new MailFlowRequest(input, LoginFor(input), smtp.Value.Host, smtp.Value.Port, imap.Value.Host, imap.Value.Port)
        {
            SkipCertificateCheck = SkipCertificates,
            AwaitToken = InboundToken?.ToLowerInvariant(),
            ServerSource = source,
        };
        // What discovery left of -TimeoutSeconds: the whole cmdlet ends within it.
        TimeSpan left = Timeout - clock.Elapsed;
        return await MailFlowCheck.RunAsync(request, Dns, left > TimeSpan.Zero ? left : TimeSpan.Zero, stop).ConfigureAwait(false);
    }

    private (string Host, int Port) HostAndPort(string parameter, string value, int defaultPort)
    {
        string? host = HostNames.NormalizeServerAndPort(value, out int? port, out string? why);
        if (host == null)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException(Texts.Commands.Format("Parameter_Invalid", parameter, value, why)), "Invalid" + parameter, ErrorCategory.InvalidArgument, value));
        }

        return (host!, port ?? defaultPort);
    }
}
