using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using MailKit;
using MailKit.Security;

namespace ExchangeDiag.Mail;

/// <summary>What SMTP and IMAP share: the connection through the check's DNS, TLS judged the same way as HTTPS.</summary>
internal static class MailSession
{
    /// <summary>
    /// MailKit's own timer, kept behind the check's deadline: when both fired together, MailKit's
    /// TimeoutException raced the deadline's cancellation and escaped the check as an exception.
    /// The deadline alone ends the check; this only bounds a client used without one.
    /// </summary>
    public static int ClientTimeout(TimeSpan checkTimeout)
        => (int)Math.Min(int.MaxValue, checkTimeout.TotalMilliseconds + 5000);

    public static SecureSocketOptions SocketOptions(MailSecurity security, int port, int implicitTlsPort) => security switch
    {
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => port == implicitTlsPort ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
    };

    /// <summary>
    /// Connects the client through our resolver and TLS policy; records every step. Returns false
    /// (the result concluded) when no usable connection could be made.
    /// </summary>
    public static async Task<bool> ConnectAsync(IMailService client, string server, int port, SecureSocketOptions options, TlsPolicy tls, DnsQuerier dns, CheckResult result, CancellationToken cancellationToken)
    {
        client.ServerCertificateValidationCallback = (sender, certificate, chain, errors) => tls.Validate(server, certificate, chain, errors);
        Socket? socket = await TcpConnect.ConnectAsync(server, port, dns, result, cancellationToken).ConfigureAwait(false);
        if (socket == null)
        {
            return false;
        }

        try
        {
            await ConnectWith(client, socket, server, port, options, cancellationToken).ConfigureAwait(false);
            tls.MoveStepsTo(result);
            return true;
        }
        catch (SslHandshakeException ex)
        {
            socket.Dispose();
            tls.MoveStepsTo(result);
            CertificateInfo? info = tls.Certificates.TryGetValue(server, out CertificateInfo? known) ? known : null;
            if (info?.Problem(CultureInfo.CurrentUICulture) is string problem)
            {
                result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                    Texts.Messages.Format("Web_CertificateInvalid", server, problem),
                    Texts.Messages.Format("Mail_CertificateInvalid_Remediation", server));
            }
            else
            {
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    Texts.Messages.Format("Certificate_HandshakeFailed", server, port, LineProtocol.FirstLine(ex.Message)),
                    Texts.Messages["Mail_HandshakeFailed_Remediation"]);
            }

            return false;
        }
        catch (NotSupportedException ex)
        {
            // MailKit's answer when STARTTLS is required and the server does not offer it.
            socket.Dispose();
            tls.MoveStepsTo(result);
            result.AddStep("STARTTLS", CheckStatus.Failed, ex.Message);
            result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                Texts.Messages.Format("Mail_NoStartTls", server, port),
                Texts.Messages["Mail_NoStartTls_Remediation"]);
            return false;
        }
        catch (CommandException ex)
        {
            // A greeting other than 220, or STARTTLS refused.
            socket.Dispose();
            tls.MoveStepsTo(result);
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Mail_SessionRefused", server, port, LineProtocol.FirstLine(ex.Message)),
                Texts.Messages["Mail_SessionRefused_Remediation"]);
            return false;
        }
        catch (Exception ex) when ((EndedSession(ex) || ex is SocketException) && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            tls.MoveStepsTo(result);
            result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable, Texts.Messages.Format("Mail_GreetingIncomplete", server, port, LineProtocol.FirstLine(ex.Message)),
                Texts.Messages["Mail_GreetingIncomplete_Remediation"]);
            return false;
        }
    }

    /// <summary>
    /// True for the exceptions of a session the server broke off or garbled. Not for an answer over
    /// our cap (<see cref="SessionCappedStream"/>): that one is the server's fault, concluded by the check's runner.
    /// </summary>
    public static bool EndedSession(Exception ex)
        => (ex is ProtocolException || ex is System.IO.IOException || ex is TimeoutException) && !(ex is AnswerTooLongException);

    /// <summary>
    /// The one SASL mechanism to use, or null for IMAP's LOGIN command. MailKit's
    /// AuthenticateAsync(credential) would try every mechanism the server offers, one failed
    /// login each: a diagnosis makes exactly one attempt, with the simplest mechanism over TLS.
    /// </summary>
    public static SaslMechanism? OneMechanism(IMailService client, NetworkCredential credential)
    {
        var offered = new HashSet<string>(client.AuthenticationMechanisms, StringComparer.OrdinalIgnoreCase);
        if (offered.Contains("PLAIN"))
        {
            return new SaslMechanismPlain(credential);
        }

        if (offered.Contains("LOGIN"))
        {
            return new SaslMechanismLogin(credential);
        }

        return offered.Contains("NTLM") ? new SaslMechanismNtlm(credential) : null;
    }

    /// <summary>
    /// Logs in to IMAP with exactly one attempt (see <see cref="OneMechanism"/>); a refusal throws
    /// AuthenticationException. False, with nothing sent, when a token has no OAuth mechanism to go by.
    /// </summary>
    internal static async Task<bool> AuthenticateImapAsync(MailKit.Net.Imap.ImapClient imap, Auth.LoginProof proof, Auth.MailboxLogin login, CancellationToken cancellationToken)
    {
        SaslMechanism? mechanism = proof.Mechanism(imap);
        if (mechanism != null && !(mechanism is SaslMechanismNtlm))
        {
            await imap.AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (proof.IsToken)
        {
            return false;
        }

        NetworkCredential credential = login.Password;

        // Without AUTH=PLAIN or LOGIN, the LOGIN command alone: no mechanism is tried first.
        imap.AuthenticationMechanisms.Clear();
        await imap.AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Concludes a check whose server offers no OAuth login (XOAUTH2, OAUTHBEARER): the token was not sent.</summary>
    internal static void ConcludeNoOAuth(CheckResult result, string server, int port, IEnumerable<string> offered)
    {
        string list = string.Join(" ", offered);
        result.Conclude(CheckStatus.Failed, DiagnosticCause.TokenRefused,
            Texts.SignIn.Format("NoOAuthMechanism", server, port, list.Length == 0 ? "-" : list),
            Texts.SignIn["Fix_NoOAuthMechanism"]);
    }

    /// <summary>Ends the session politely when it is still open; a server that already closed is fine.</summary>
    public static async Task DisconnectQuietlyAsync(IMailService client, CancellationToken deadline)
    {
        if (!client.IsConnected || deadline.IsCancellationRequested)
        {
            return;
        }

        // A few seconds at most, and never past the check's deadline: the result is decided, a
        // server that never answers QUIT must not hold it.
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        brief.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await client.DisconnectAsync(true, brief.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ServiceNotConnectedException || ex is System.IO.IOException || ex is ProtocolException || ex is TimeoutException || ex is OperationCanceledException)
        {
            // The result is already decided.
        }
    }

    /// <summary>MailKit runs the protocol over our socket, under the session cap.</summary>
    private static Task ConnectWith(IMailService client, Socket socket, string server, int port, SecureSocketOptions options, CancellationToken cancellationToken)
    {
        // The check's deadline closes the socket: on .NET Framework a NetworkStream read ignores its
        // token once started, so a silent server would otherwise hold the check past -TimeoutSeconds.
        // The registration lives as long as the deadline, which ends with the check.
        cancellationToken.Register(state => ((Socket)state!).Dispose(), socket);
        var stream = new SessionCappedStream(new NetworkStream(socket, ownsSocket: true));
        return client switch
        {
            MailKit.Net.Smtp.SmtpClient smtp => smtp.ConnectAsync(stream, server, port, options, cancellationToken),
            MailKit.Net.Imap.ImapClient imap => imap.ConnectAsync(stream, server, port, options, cancellationToken),
            _ => throw new ArgumentException("Only SMTP and IMAP clients connect here.", nameof(client)),
        };
    }
}
