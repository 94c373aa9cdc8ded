using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>Connects to a TLS port (directly or through SMTP/IMAP STARTTLS) and judges the certificate.</summary>
public static class CertificateCheck
{
    /// <summary>
    /// How TLS is reached on a port when -StartTls is not given: the ports that start in clear text
    /// by standard (SMTP 25 and 587, IMAP 143, POP3 110) are upgraded; any other port speaks TLS at once.
    /// </summary>
    public static StartTlsMode DefaultStartTls(int port) => port switch
    {
        25 or 587 => StartTlsMode.Smtp,
        143 => StartTlsMode.Imap,
        110 => StartTlsMode.Pop,
        _ => StartTlsMode.None,
    };

    public static Task<CertificateResult> RunAsync(string server, int port, StartTlsMode startTls, int warningDays, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new CertificateResult(server, port, startTls)
        {
            Expected = Texts.Messages.Format("Expected_Certificate", server, warningDays),
        };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            using Socket? socket = await TcpConnect.ConnectAsync(server, port, dns, result, deadline).ConfigureAwait(false);
            if (socket == null)
            {
                return;
            }

            using var network = new NetworkStream(socket, ownsSocket: false);

            // Closing the stream is what ends a read or a handshake stuck past the deadline (a
            // STARTTLS server that never greets, a CRL download that hangs).
            using CancellationTokenRegistration closeOnDeadline = deadline.Register(() => socket.Dispose());
            try
            {
                if (startTls != StartTlsMode.None && !await StartTlsAsync(network, startTls, result, deadline).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new OperationCanceledException(deadline);
            }

            CertificateInfo? info = null;

            // What the server sent before the handshake failed tells a port that starts in clear text.
            using var firstBytes = new FirstBytesStream(network);
            using var tls = new SslStream(firstBytes, leaveInnerStreamOpen: true, (sender, certificate, chain, errors) =>
            {
                // Accept here so the facts can be read and judged below, whatever they are.
                if (certificate != null)
                {
                    info = new CertificateInfo(new X509Certificate2(certificate), chain, errors, DateTime.UtcNow);
                }

                return true;
            });

            var clock = Stopwatch.StartNew();
            try
            {
#if NET
                var options = new SslClientAuthenticationOptions
                {
                    TargetHost = server,
                    CertificateRevocationCheckMode = X509RevocationMode.Online,
                };
                await tls.AuthenticateAsClientAsync(options, deadline).ConfigureAwait(false);
#else
                await tls.AuthenticateAsClientAsync(server, null, SslProtocols.None, checkCertificateRevocation: true).ConfigureAwait(false);
#endif
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !(ex is OperationCanceledException))
            {
                throw new OperationCanceledException(deadline);
            }
            catch (Exception ex) when ((ex is AuthenticationException || ex is IOException) && PlainTextAnswer(firstBytes.Received) is string greeting)
            {
                // .NET only says "Cannot determine the frame size": the server's own words say more.
                result.AddStep("TLS handshake", CheckStatus.Error, $"the server answered in plain text: {greeting}", clock.Elapsed);
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    Texts.Messages.Format("Certificate_PlainText", server, port, greeting),
                    Texts.Messages[PlainTextRemediation(greeting)]);
                return;
            }
            catch (Exception ex) when (ex is AuthenticationException || ex is IOException)
            {
                result.AddStep("TLS handshake", CheckStatus.Error, ex.Message, clock.Elapsed);
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    Texts.Messages.Format("Certificate_HandshakeFailed", server, port, ex.Message),
                    Texts.Messages["Certificate_HandshakeFailed_Remediation"]);
                return;
            }

            result.Protocol = tls.SslProtocol.ToString();
            result.AddStep("TLS handshake", CheckStatus.Passed, $"{result.Protocol}, {tls.CipherAlgorithm}", clock.Elapsed);
            if (info == null)
            {
                result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid, Texts.Messages.Format("Certificate_None", server, port), Texts.Messages["Certificate_None_Remediation"]);
                return;
            }

            Judge(result, info, warningDays);
        });
    }

    internal static void Judge(CertificateResult result, CertificateInfo info, int warningDays)
    {
        result.Record(info);
        result.Observed = info.ToString();
        if (info.RevocationUnknownOnly)
        {
            result.AddStep("Revocation", CheckStatus.Warning, "the revocation status could not be learned (CRL or OCSP unreachable); accepted, as browsers do");
        }

        string? problem = info.Problem();
        if (problem != null)
        {
            result.AddStep("Certificate", CheckStatus.Failed, problem);
            result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                Texts.Messages.Format("Certificate_Invalid", result.Target, info.Problem(CultureInfo.CurrentUICulture)),
                Texts.Messages.Format("Certificate_Invalid_Remediation", result.Server));
            return;
        }

        result.AddStep("Certificate", CheckStatus.Passed, $"trusted, names {string.Join(" ", info.DnsNames)}, expires in {info.DaysUntilExpiry} days");
        if (info.DaysUntilExpiry < warningDays)
        {
            result.Conclude(CheckStatus.Warning, DiagnosticCause.None,
                Texts.Messages.Format("Certificate_ExpiresSoon", result.Target, info.DaysUntilExpiry, info.NotAfter),
                Texts.Messages.Format("Certificate_ExpiresSoon_Remediation", result.Server, info.NotAfter));
            return;
        }

        result.Conclude(CheckStatus.Passed, DiagnosticCause.None,
            Texts.Messages.Format("Certificate_Passed", result.Target, info.DaysUntilExpiry), null);
    }

    /// <summary>The first line of what the server sent, when it is text rather than a TLS record; otherwise null.</summary>
    internal static string? PlainTextAnswer(byte[] received)
    {
        // A TLS record starts with a content type byte (20 to 24); a greeting or an HTTP answer with a letter, a digit, '*' or '+'.
        if (received.Length == 0 || received[0] < 0x20 || received[0] > 0x7e)
        {
            return null;
        }

        int end = 0;
        while (end < received.Length && received[end] != '\r' && received[end] != '\n')
        {
            if (received[end] < 0x20 || received[end] > 0x7e)
            {
                return null;
            }

            end++;
        }

        string line = LineProtocol.FirstLine(Encoding.ASCII.GetString(received, 0, end));
        return line.Length == 0 ? null : line;
    }

    /// <summary>The remediation for a port that answered <paramref name="greeting"/> in clear text: the protocol it speaks names the fix.</summary>
    internal static string PlainTextRemediation(string greeting)
    {
        if (greeting.StartsWith("220", StringComparison.Ordinal))
        {
            return "Certificate_PlainText_Smtp_Remediation";
        }

        if (greeting.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) || greeting.StartsWith("* PREAUTH", StringComparison.OrdinalIgnoreCase))
        {
            return "Certificate_PlainText_Imap_Remediation";
        }

        if (greeting.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
        {
            return "Certificate_PlainText_Pop_Remediation";
        }

        return greeting.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase)
            ? "Certificate_PlainText_Http_Remediation"
            : "Certificate_PlainText_Remediation";
    }

    private static async Task<bool> StartTlsAsync(Stream stream, StartTlsMode mode, CertificateResult result, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string greeting = await LineProtocol.ReadReplyAsync(stream, mode == StartTlsMode.Smtp, null, cancellationToken).ConfigureAwait(false);
        string answer;
        if (mode == StartTlsMode.Smtp)
        {
            await LineProtocol.WriteAsync(stream, "EHLO exchangediag.invalid\r\n", cancellationToken).ConfigureAwait(false);
            string ehlo = await LineProtocol.ReadReplyAsync(stream, mode == StartTlsMode.Smtp, null, cancellationToken).ConfigureAwait(false);
            if (ehlo.IndexOf("STARTTLS", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return FailStartTls(result, $"the server does not offer STARTTLS (greeting: {LineProtocol.FirstLine(greeting)})", clock);
            }

            await LineProtocol.WriteAsync(stream, "STARTTLS\r\n", cancellationToken).ConfigureAwait(false);
            answer = await LineProtocol.ReadReplyAsync(stream, mode == StartTlsMode.Smtp, null, cancellationToken).ConfigureAwait(false);
            if (!answer.StartsWith("220", StringComparison.Ordinal))
            {
                return FailStartTls(result, $"STARTTLS answered {LineProtocol.FirstLine(answer)}", clock);
            }
        }
        else if (mode == StartTlsMode.Pop)
        {
            // RFC 2595: STLS, answered +OK or -ERR in one line.
            await LineProtocol.WriteAsync(stream, "STLS\r\n", cancellationToken).ConfigureAwait(false);
            answer = await LineProtocol.ReadReplyAsync(stream, false, null, cancellationToken).ConfigureAwait(false);
            if (!answer.StartsWith("+OK", StringComparison.OrdinalIgnoreCase))
            {
                return FailStartTls(result, $"STLS answered {LineProtocol.FirstLine(answer)}", clock);
            }
        }
        else
        {
            await LineProtocol.WriteAsync(stream, "x1 STARTTLS\r\n", cancellationToken).ConfigureAwait(false);
            answer = await LineProtocol.ReadReplyAsync(stream, false, "x1 ", cancellationToken).ConfigureAwait(false);
            int tagged = answer.LastIndexOf("x1 ", StringComparison.Ordinal);
            if (tagged < 0 || !LineProtocol.FirstLine(answer.Substring(tagged)).StartsWith("x1 OK", StringComparison.OrdinalIgnoreCase))
            {
                return FailStartTls(result, $"STARTTLS answered {LineProtocol.FirstLine(answer)}", clock);
            }
        }

        result.AddStep("STARTTLS", CheckStatus.Passed, $"{LineProtocol.FirstLine(greeting)}; STARTTLS accepted", clock.Elapsed);
        return true;
    }

    private static bool FailStartTls(CheckResult result, string detail, Stopwatch clock)
    {
        result.AddStep("STARTTLS", CheckStatus.Failed, detail, clock.Elapsed);
        result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid, Texts.Messages.Format("Certificate_StartTlsFailed", detail), Texts.Messages["Certificate_StartTlsFailed_Remediation"]);
        return false;
    }
}
