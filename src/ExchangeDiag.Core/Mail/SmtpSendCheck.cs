using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;
using ExchangeDiag.Auth;

namespace ExchangeDiag.Mail;

/// <summary>
/// Submits one small, clearly labelled test message (PROTOCOL-NOTES 5) and classifies the reply
/// that decided the outcome. Credentials are never sent before TLS unless explicitly allowed.
/// </summary>
public static class SmtpSendCheck
{
    public const string TokenHeader = "X-ExchangeDiag-Token";

    public static Task<SmtpSendResult> RunAsync(SmtpSendRequest request, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new SmtpSendResult(request.Server, request.Port)
        {
            From = request.From,
            To = request.To,
            Expected = Texts.Messages["Expected_SmtpSend"],
        };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            // The token first: a refused sign-in never opens a session with the server.
            LoginProof? proof = await request.Login.ProveAsync(MailProtocol.Smtp, request.Server, result, deadline).ConfigureAwait(false);
            if (proof == null)
            {
                return;
            }

            var transcript = new MailTranscript();
            var tls = new TlsPolicy(request.SkipCertificateCheck);
            using var client = new SmtpClient(transcript)
            {
                Timeout = MailSession.ClientTimeout(timeout),
                LocalDomain = "exchangediag.invalid",
                CheckCertificateRevocation = true,
            };
            try
            {
                await SendAsync(client, request, proof, tls, dns, result, deadline).ConfigureAwait(false);
            }
            finally
            {
                RecordPhases(result, transcript);
                await MailSession.DisconnectQuietlyAsync(client, deadline).ConfigureAwait(false);
            }
        });
    }

    private static async Task SendAsync(SmtpClient client, SmtpSendRequest request, LoginProof proof, TlsPolicy tls, DnsQuerier dns, SmtpSendResult result, CancellationToken cancellationToken)
    {
        SecureSocketOptions options = MailSession.SocketOptions(request.Security, request.Port, 465);
        if (!await MailSession.ConnectAsync(client, request.Server, request.Port, options, tls, dns, result, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        result.AuthMechanisms = new SummaryList<string>(client.AuthenticationMechanisms.OrderBy(m => m, StringComparer.Ordinal));
        if (!client.IsSecure)
        {
            // A token is good for whoever holds it: -AllowUnencryptedAuth is for passwords of old servers, never for it.
            if (!request.AllowUnencryptedAuth || proof.IsToken)
            {
                result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                    Texts.Messages.Format("Mail_NoTls", request.Server, request.Port),
                    Texts.Messages["Smtp_NoTls_Remediation"]);
                return;
            }

            result.AddStep("Unencrypted AUTH", CheckStatus.Warning, "-AllowUnencryptedAuth: the credentials go over a connection without TLS");
        }

        SaslMechanism? mechanism = proof.Mechanism(client);
        if (mechanism == null && proof.IsToken)
        {
            MailSession.ConcludeNoOAuth(result, request.Server, request.Port, client.AuthenticationMechanisms);
            return;
        }

        if (mechanism == null)
        {
            result.Conclude(CheckStatus.Failed, DiagnosticCause.SendFailed,
                result.AuthMechanisms.Count == 0
                    ? Texts.Messages.Format("Smtp_NoLoginMethod_None", request.Server, request.Port)
                    : Texts.Messages.Format("Smtp_NoLoginMethod", request.Server, request.Port, result.AuthMechanisms),
                Texts.Messages["Smtp_NoLoginMethod_Remediation"]);
            return;
        }

        try
        {
            await client.AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            ConcludeRefused(result, SmtpReply.TryParse(ex.Message) ?? new SmtpReply(535, ex.Message), SmtpPhase.Auth, proof.IsToken);
            return;
        }
        catch (SmtpCommandException ex)
        {
            ConcludeRefused(result, new SmtpReply((int)ex.StatusCode, ex.Message), SmtpPhase.Auth, proof.IsToken);
            return;
        }
        catch (Exception ex) when (MailSession.EndedSession(ex))
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Smtp_EndedDuringLogin", request.Server, LineProtocol.FirstLine(ex.Message)), Advice.ServerError);
            return;
        }

        MimeMessage message = TestMessage(request, out string token);
        result.Token = token;
        try
        {
            string reply = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            result.MessageId = message.MessageId;
            result.ServerReply = SmtpReply.TryParse("250 " + reply) ?? new SmtpReply(250, reply);
            result.Conclude(CheckStatus.Passed, DiagnosticCause.None,
                Texts.Messages.Format("Smtp_Passed", request.Server, request.From, request.To, result.ServerReply.Text), null);
        }
        catch (SmtpCommandException ex)
        {
            SmtpPhase phase = ex.ErrorCode switch
            {
                SmtpErrorCode.SenderNotAccepted => SmtpPhase.MailFrom,
                SmtpErrorCode.RecipientNotAccepted => SmtpPhase.RcptTo,
                _ => SmtpPhase.Data,
            };
            ConcludeRefused(result, new SmtpReply((int)ex.StatusCode, ex.Message), phase);
        }
        catch (Exception ex) when (MailSession.EndedSession(ex))
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Smtp_EndedDuringSend", request.Server, LineProtocol.FirstLine(ex.Message)), Advice.ServerError);
        }
    }

    /// <summary>Concludes with the cause the refusing reply points to, keeping the raw reply.</summary>
    /// <param name="token">The login sent an OAuth token: a refused AUTH is of the token, and locks nothing.</param>
    internal static void ConcludeRefused(SmtpSendResult result, SmtpReply reply, SmtpPhase phase, bool token = false)
    {
        result.ServerReply = reply;
        result.Observed = reply.ToString();
        DiagnosticCause cause = SmtpReplyClassifier.Classify(reply);
        if (token && phase == SmtpPhase.Auth && cause == DiagnosticCause.AuthenticationFailed)
        {
            result.Conclude(CheckStatus.Failed, DiagnosticCause.TokenRefused, Texts.SignIn.Format("TokenRefused", result.Server, result.From, reply), Texts.SignIn["Fix_TokenRefused"]);
            return;
        }

        // SMTP AUTH disabled or TLS missing says nothing about the password: the other logins still run.
        result.CredentialRefused = phase == SmtpPhase.Auth && reply.StatusCode >= 500
            && cause != DiagnosticCause.SmtpAuthDisabled && cause != DiagnosticCause.TlsRequired && cause != DiagnosticCause.OrganizationBlocked;
        if (phase == SmtpPhase.Data && cause == DiagnosticCause.AccountBlockedForSpam && Array.IndexOf(SmtpReplyClassifier.SpamBlockCodes, reply.EnhancedCode) < 0)
        {
            // "Message rejected as spam" at DATA judges this message, not the account.
            cause = DiagnosticCause.SendFailed;
        }

        if (reply.StatusCode < 500 && cause == DiagnosticCause.SendFailed)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Smtp_TemporaryError", result.Server, reply), Advice.ServerError);
            return;
        }

        string refusedKey = cause switch
        {
            DiagnosticCause.SmtpAuthDisabled => "Smtp_AuthDisabled",
            DiagnosticCause.TlsRequired => "Smtp_TlsRequired",
            DiagnosticCause.OrganizationBlocked => "Smtp_OrganizationBlocked",
            _ when phase == SmtpPhase.Auth => "Smtp_RefusedLogin",
            _ when phase == SmtpPhase.MailFrom => "Smtp_RefusedSender",
            _ when phase == SmtpPhase.RcptTo => "Smtp_RefusedAtRcptTo",
            _ => "Smtp_RefusedMessage",
        };
        string remediation = cause switch
        {
            DiagnosticCause.AuthenticationFailed => Advice.WrongPassword,
            DiagnosticCause.AccountLocked => Advice.Locked,
            DiagnosticCause.AccountBlockedForSpam => Texts.Messages["Smtp_BlockedForSpam_Remediation"],
            DiagnosticCause.SubscriptionExpired => Advice.Renew,
            DiagnosticCause.SendQuotaExceeded => Texts.Messages["Smtp_QuotaExceeded_Remediation"],
            DiagnosticCause.SendAsDenied => Texts.Messages["Smtp_SendAsDenied_Remediation"],
            DiagnosticCause.SmtpAuthDisabled => Texts.Messages["Smtp_AuthDisabled_Remediation"],
            DiagnosticCause.TlsRequired => Texts.Messages["Smtp_TlsRequired_Remediation"],
            DiagnosticCause.OrganizationBlocked => Texts.Messages["Smtp_OrganizationBlocked_Remediation"],
            _ => Texts.Messages["Smtp_Refused_Remediation"],
        };
        result.Conclude(CheckStatus.Failed, cause, Texts.Messages.Format(refusedKey, result.Server, reply), remediation);
    }

    /// <summary>True when MimeKit can use the text as one mailbox address (checked before any login).</summary>
    public static bool IsMailboxAddress(string? text)
        => text != null && MailboxAddress.TryParse(text, out MailboxAddress? mailbox) && string.Equals(mailbox.Address, text.Trim(), StringComparison.OrdinalIgnoreCase);

    private static MimeMessage TestMessage(SmtpSendRequest request, out string token)
    {
        token = Guid.NewGuid().ToString("N");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(request.From));
        message.To.Add(MailboxAddress.Parse(request.To));
        message.Subject = $"ExchangeDiag test message {token}";
        message.MessageId = MimeUtils.GenerateMessageId(request.From.Substring(request.From.LastIndexOf('@') + 1));
        message.Headers.Add(TokenHeader, token);
        message.Body = new TextPart("plain")
        {
            Text = "This message was sent by ExchangeDiag to test mail submission for this mailbox. It can be deleted.",
        };
        return message;
    }

    private static void RecordPhases(SmtpSendResult result, MailTranscript transcript)
    {
        foreach (SmtpConversation.Exchange exchange in SmtpConversation.Pair(transcript.Lines))
        {
            SmtpReply? reply = exchange.FinalReply;
            if (exchange.Phase == SmtpPhase.Banner)
            {
                result.ServerBanner = exchange.Reply[0].Length > 4 ? exchange.Reply[0].Substring(4) : exchange.Reply[0];
            }

            CheckStatus status = reply == null || reply.StatusCode >= 400 ? CheckStatus.Failed : CheckStatus.Passed;
            string sent = exchange.Command.Length == 0 ? string.Empty : $"C: {exchange.Command} ";
            result.AddStep(exchange.Phase.ToString(), status, $"{sent}S: {string.Join(" / ", exchange.Reply)}", exchange.Duration);
        }
    }
}

/// <summary>What Test-ExchangeSmtpSend was asked to do.</summary>
public sealed class SmtpSendRequest
{
    public SmtpSendRequest(string server, int port, MailboxLogin login, string from, string to)
    {
        Server = server;
        Port = port;
        Login = login;
        From = from;
        To = to;
    }

    public string Server { get; }

    public int Port { get; }

    public MailboxLogin Login { get; }

    public string From { get; }

    public string To { get; }

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    public bool SkipCertificateCheck { get; set; }

    public bool AllowUnencryptedAuth { get; set; }
}
