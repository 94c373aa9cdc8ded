using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;

namespace ExchangeDiag.Mail;

/// <summary>
/// What an outside sender experiences: the domain's MX hosts in preference order, the first
/// that answers on port 25, EHLO, STARTTLS when offered, MAIL FROM:&lt;&gt; and RCPT TO. Without
/// -Deliver it stops before DATA; with it, a labelled test message is sent.
/// </summary>
public static class InboundSmtpCheck
{
    private const string Helo = "exchangediag.invalid";

    public static Task<InboundSmtpResult> RunAsync(string domain, string recipient, int port, bool deliver, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new InboundSmtpResult(domain, recipient)
        {
            Port = port,
            Expected = deliver ? Texts.Messages["Expected_Inbound_Deliver"] : Texts.Messages["Expected_Inbound_Recipient"],
        };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            DnsLookup lookup = await dns.QueryAsync(domain, QueryType.MX, deadline).ConfigureAwait(false);
            if (!await DnsCheck.RecordAsync(result, "MX lookup", lookup, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            if (lookup.Outcome == DnsOutcome.NameError)
            {
                DnsCheck.ConcludeDomainNotFound(result, domain);
                return;
            }

            List<string> hosts = lookup.Answers.OfType<MxRecord>().OrderBy(r => r.Preference)
                .Select(r => DomainName.Canonical(r.Exchange.Value)).Where(h => h != ".").ToList();
            if (hosts.Count == 0)
            {
                result.Conclude(CheckStatus.Failed, DiagnosticCause.MxInvalid, Texts.Messages.Format("Inbound_NoMx", domain), Texts.Messages["Inbound_NoMx_Remediation"]);
                return;
            }

            var clock = Stopwatch.StartNew();
            for (int i = 0; i < hosts.Count; i++)
            {
                string host = hosts[i];

                // Each host gets a share of the time left, so a primary that drops packets leaves time for the backup.
                TimeSpan share = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(3).Ticks, (timeout - clock.Elapsed).Ticks / (hosts.Count - i)));
                using Socket? socket = await TcpConnect.ConnectAsync(host, port, dns, result, deadline, share, asMailServer: true).ConfigureAwait(false);
                if (socket == null)
                {
                    continue;
                }

                result.MxHost = host;
                using var network = new NetworkStream(socket, ownsSocket: false);
                using CancellationTokenRegistration closeOnDeadline = deadline.Register(() => socket.Dispose());
                try
                {
                    await ConverseAsync(network, host, recipient, deliver, result, deadline).ConfigureAwait(false);
                }
                catch (Exception ex) when (deadline.IsCancellationRequested && !(ex is OperationCanceledException))
                {
                    throw new OperationCanceledException(deadline);
                }
                catch (AnswerTooLongException ex)
                {
                    // Reading on would pair later replies with the wrong commands, and could report "accepts mail".
                    result.AddStep("Reply", CheckStatus.Error, ex.Message);
                    result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Inbound_ReplyTooLong", host, ex.Said), Texts.Messages["Inbound_SessionClosed_Remediation"]);
                }
                catch (IOException ex)
                {
                    result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, Texts.Messages.Format("Inbound_SessionClosed", host, ex.Message), Texts.Messages["Inbound_SessionClosed_Remediation"]);
                }

                return;
            }

            // TcpConnect concluded for the last host; conclude for all of them.
            bool noneResolves = hosts.All(h => result.Steps.Any(s => s.Name == $"DNS {h}" && s.Status == CheckStatus.Failed));
            if (noneResolves)
            {
                result.Conclude(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Inbound_NoHostResolves", domain, string.Join(", ", hosts)),
                    Texts.Messages["Inbound_NoHostResolves_Remediation"]);
                return;
            }

            result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                Texts.Messages.Format("Inbound_NoHostAnswered", domain, port, string.Join(", ", hosts)),
                Texts.Messages["Inbound_NoHostAnswered_Remediation"]);
        });
    }

    private static async Task ConverseAsync(Stream network, string host, string recipient, bool deliver, InboundSmtpResult result, CancellationToken cancellationToken)
    {
        SslStream? secure = null;
        try
        {
            await ConverseAsync(network, host, recipient, deliver, result, s => secure = s, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            secure?.Dispose();
        }
    }

    private static async Task ConverseAsync(Stream network, string host, string recipient, bool deliver, InboundSmtpResult result, Action<SslStream> upgraded, CancellationToken cancellationToken)
    {
        Stream stream = network;
        SmtpReply banner = await ReplyAsync(stream, result, "Banner", null, cancellationToken).ConfigureAwait(false);
        result.ServerBanner = banner.Text;
        if (banner.StatusCode != 220)
        {
            Refused(result, banner, Texts.Messages["Inbound_Refusal_Greeting"]);
            return;
        }

        string ehlo = await CommandAsync(stream, $"EHLO {Helo}", result, "Ehlo", cancellationToken).ConfigureAwait(false);
        if (LastReply(ehlo).StatusCode >= 400)
        {
            Refused(result, LastReply(ehlo), Texts.Messages["Inbound_Refusal_Ehlo"]);
            return;
        }

        result.StartTlsOffered = ehlo.IndexOf("STARTTLS", StringComparison.OrdinalIgnoreCase) >= 0;
        if (result.StartTlsOffered)
        {
            SmtpReply ready = await CommandReplyAsync(stream, "STARTTLS", result, "StartTls", cancellationToken).ConfigureAwait(false);
            if (ready.StatusCode == 220)
            {
                var tls = new TlsPolicy(skipCertificateCheck: false, opportunistic: true);
                var secure = new SslStream(network, leaveInnerStreamOpen: true, (sender, certificate, chain, errors) => tls.Validate(host, certificate, chain, errors));
                upgraded(secure);
                try
                {
#if NET
                    await secure.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host, CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.Online }, cancellationToken).ConfigureAwait(false);
#else
                    await secure.AuthenticateAsClientAsync(host, null, System.Security.Authentication.SslProtocols.None, checkCertificateRevocation: true).ConfigureAwait(false);
#endif
                }
                catch (System.Security.Authentication.AuthenticationException ex)
                {
                    tls.MoveStepsTo(result);
                    result.AddStep("TLS handshake", CheckStatus.Failed, ex.Message);
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                        Texts.Messages.Format("Inbound_HandshakeFailed", host, ex.Message),
                        Texts.Messages["Inbound_HandshakeFailed_Remediation"]);
                    return;
                }

                tls.MoveStepsTo(result);
                result.Certificate = tls.Certificates.TryGetValue(host, out CertificateInfo? info) ? info : null;
                stream = secure;
                await CommandAsync(stream, $"EHLO {Helo}", result, "Ehlo", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                result.StartTlsOffered = false;
                result.AddStep("StartTls", CheckStatus.Warning, $"{host} offers STARTTLS but refused it: the session goes on unencrypted, as senders' would");
            }
        }
        else
        {
            result.AddStep("StartTls", CheckStatus.Warning, $"{host} does not offer STARTTLS: mail reaches it unencrypted");
        }

        SmtpReply from = await CommandReplyAsync(stream, "MAIL FROM:<>", result, "MailFrom", cancellationToken).ConfigureAwait(false);
        if (from.StatusCode >= 400)
        {
            Refused(result, from, Texts.Messages["Inbound_Refusal_NullSender"]);
            return;
        }

        SmtpReply rcpt = await CommandReplyAsync(stream, $"RCPT TO:<{recipient}>", result, "RcptTo", cancellationToken).ConfigureAwait(false);
        result.ServerReply = rcpt;
        if (rcpt.StatusCode >= 400)
        {
            Refused(result, rcpt, Texts.Messages.Format("Inbound_Refusal_Recipient", recipient));
            return;
        }

        if (deliver)
        {
            SmtpReply go = await CommandReplyAsync(stream, "DATA", result, "Data", cancellationToken).ConfigureAwait(false);
            if (go.StatusCode != 354)
            {
                Refused(result, go, Texts.Messages["Inbound_Refusal_Data"]);
                return;
            }

            result.Token = Guid.NewGuid().ToString("N");
            SmtpReply accepted = await CommandReplyAsync(stream, TestMessage(recipient, result.Token), result, "Data", cancellationToken, shown: "<test message>.").ConfigureAwait(false);
            result.ServerReply = accepted;
            if (accepted.StatusCode >= 400)
            {
                Refused(result, accepted, Texts.Messages["Inbound_Refusal_Message"]);
                return;
            }

            result.Delivered = true;
        }
        else
        {
            await CommandReplyAsync(stream, "RSET", result, "Rset", cancellationToken).ConfigureAwait(false);
        }

        await LineProtocol.WriteAsync(stream, "QUIT\r\n", cancellationToken).ConfigureAwait(false);
        bool trusted = result.Certificate?.IsTrusted ?? false;
        CheckStatus status = result.StartTlsOffered && trusted ? CheckStatus.Passed : CheckStatus.Warning;
        string what = deliver ? Texts.Messages.Format("Inbound_Accepted_Message", recipient) : Texts.Messages.Format("Inbound_Accepted_Recipient", recipient);
        string encryption = !result.StartTlsOffered ? Texts.Messages["Inbound_WithoutTls"]
            : trusted ? Texts.Messages["Inbound_WithStartTls"]
            : Texts.Messages.Format("Inbound_WithStartTlsBadCertificate", result.Certificate?.Problem(CultureInfo.CurrentUICulture) ?? Texts.Messages["Inbound_CertificateMissing"]);
        result.Conclude(status, status == CheckStatus.Passed ? DiagnosticCause.None : DiagnosticCause.CertificateInvalid,
            Texts.Messages.Format("Inbound_Accepted", host, what, encryption, rcpt),
            Texts.Messages["Inbound_Accepted_Remediation"]);
    }

    private static void Refused(InboundSmtpResult result, SmtpReply reply, string what)
    {
        result.ServerReply = reply;
        result.Observed = reply.ToString();
        if (reply.StatusCode >= 400 && reply.StatusCode < 500)
        {
            // Greylisting and other temporary refusals: real senders retry and the mail arrives later.
            result.Conclude(CheckStatus.Warning, DiagnosticCause.ReceiveFailed,
                Texts.Messages.Format("Inbound_RefusedTemporarily", result.MxHost, what, reply),
                Texts.Messages["Inbound_RefusedTemporarily_Remediation"]);
            return;
        }

        result.Conclude(CheckStatus.Failed, DiagnosticCause.ReceiveFailed,
            Texts.Messages.Format("Inbound_Refused", result.MxHost, what, reply),
            Texts.Messages["Inbound_Refused_Remediation"]);
    }

    /// <summary>Sends a command and returns the whole (multi-line) reply text, for EHLO's list of extensions.</summary>
    private static async Task<string> CommandAsync(Stream stream, string command, InboundSmtpResult result, string phase, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await LineProtocol.WriteAsync(stream, command + "\r\n", cancellationToken).ConfigureAwait(false);
        string reply = await LineProtocol.ReadReplyAsync(stream, smtp: true, null, cancellationToken).ConfigureAwait(false);
        if (reply.Length == 0)
        {
            throw new IOException("the server closed the connection");
        }

        SmtpReply last = LastReply(reply);
        result.AddStep(phase, last.StatusCode < 400 ? CheckStatus.Passed : CheckStatus.Failed, $"C: {command} S: {Flatten(reply)}", clock.Elapsed);
        return reply;
    }

    private static async Task<SmtpReply> CommandReplyAsync(Stream stream, string command, InboundSmtpResult result, string phase, CancellationToken cancellationToken, string? shown = null)
    {
        var clock = Stopwatch.StartNew();
        await LineProtocol.WriteAsync(stream, command + "\r\n", cancellationToken).ConfigureAwait(false);
        return await ReplyAsync(stream, result, phase, shown ?? command, cancellationToken, clock).ConfigureAwait(false);
    }

    private static async Task<SmtpReply> ReplyAsync(Stream stream, InboundSmtpResult result, string phase, string? command, CancellationToken cancellationToken, Stopwatch? clock = null)
    {
        clock ??= Stopwatch.StartNew();
        string reply = await LineProtocol.ReadReplyAsync(stream, smtp: true, null, cancellationToken).ConfigureAwait(false);
        if (reply.Length == 0)
        {
            throw new IOException("the server closed the connection");
        }

        SmtpReply last = LastReply(reply);
        string sent = command == null ? string.Empty : $"C: {command} ";
        result.AddStep(phase, last.StatusCode < 400 ? CheckStatus.Passed : CheckStatus.Failed, $"{sent}S: {Flatten(reply)}", clock.Elapsed);
        return last;
    }

    private static SmtpReply LastReply(string reply)
    {
        string[] lines = reply.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
        return SmtpReply.TryParse(lines.Length == 0 ? string.Empty : lines[lines.Length - 1]) ?? new SmtpReply(0, reply.Trim());
    }

    private static string Flatten(string reply) => string.Join(" / ", reply.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries));

    private static string TestMessage(string recipient, string token)
    {
        var message = new StringBuilder();
        message.Append("From: ExchangeDiag <postmaster@exchangediag.invalid>\r\n");
        message.Append($"To: <{recipient}>\r\n");
        message.Append($"Subject: ExchangeDiag inbound test message {token}\r\n");
        message.Append($"Date: {DateTime.UtcNow:R}\r\n");
        message.Append($"Message-ID: <{token}@exchangediag.invalid>\r\n");
        message.Append($"{SmtpSendCheck.TokenHeader}: {token}\r\n");
        message.Append("\r\n");
        message.Append("This message was sent by ExchangeDiag to test delivery from outside. It can be deleted.\r\n");
        message.Append(".");
        return message.ToString();
    }
}
