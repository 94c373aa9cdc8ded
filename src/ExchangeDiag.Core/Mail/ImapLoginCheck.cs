using System;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using ExchangeDiag.Auth;

namespace ExchangeDiag.Mail;

/// <summary>One IMAP login, then INBOX opened read-only: the mailbox is read, never changed.</summary>
public static class ImapLoginCheck
{
    private static readonly Regex ExchangeGreeting = new Regex(@"Microsoft Exchange IMAP4", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Expired = new Regex(@"subscription|expired|suspended", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex TaggedNo = new Regex(@"^[A-Za-z0-9]+ NO\b", RegexOptions.CultureInvariant);
    private static readonly Regex Locked = new Regex(@"\block(ed)?\s*out\b|\blocked\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static Task<ImapLoginResult> RunAsync(string server, int port, MailSecurity security, MailboxLogin login, bool skipCertificateCheck, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new ImapLoginResult(server, port) { Expected = Texts.Messages["Expected_Imap"] };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            // The token first: a refused sign-in never opens a session with the server.
            LoginProof? proof = await login.ProveAsync(MailProtocol.Imap, server, result, deadline).ConfigureAwait(false);
            if (proof == null)
            {
                return;
            }
            var transcript = new MailTranscript();
            var tls = new TlsPolicy(skipCertificateCheck);
            using var client = new ImapClient(transcript)
            {
                Timeout = MailSession.ClientTimeout(timeout),
                CheckCertificateRevocation = true,
            };
            try
            {
                await LoginAsync(client, transcript, server, port, security, login, proof, tls, dns, result, deadline).ConfigureAwait(false);
            }
            finally
            {
                RecordTranscript(result, transcript);
                await MailSession.DisconnectQuietlyAsync(client, deadline).ConfigureAwait(false);
            }
        });
    }

    /// <summary>The server's own words for a refused login: MailKit's message can be generic, its tagged NO is not.</summary>
    internal static string RefusalText(MailTranscript transcript, Exception refused)
    {
        string? tagged = transcript.Lines.LastOrDefault(l => l.FromServer && TaggedNo.IsMatch(l.Text))?.Text;
        return tagged == null ? refused.Message : tagged.Substring(tagged.IndexOf(' ') + 1);
    }

    internal static string RemediationFor(DiagnosticCause refusal) => refusal switch
    {
        DiagnosticCause.TokenRefused => Texts.SignIn["Fix_TokenRefused"],
        DiagnosticCause.SubscriptionExpired => Advice.Renew,
        DiagnosticCause.AccountLocked => Advice.Locked,
        _ => Advice.WrongPassword,
    };

    /// <summary>The cause an IMAP refusal's text points to.</summary>
    /// <param name="token">The login sent an OAuth token: a bare refusal is of the token, not of a password.</param>
    internal static DiagnosticCause ClassifyRefusal(string text, bool token = false)
        => Expired.IsMatch(text) ? DiagnosticCause.SubscriptionExpired
        : Locked.IsMatch(text) ? DiagnosticCause.AccountLocked
        : token ? DiagnosticCause.TokenRefused
        : DiagnosticCause.AuthenticationFailed;

    private static async Task LoginAsync(ImapClient client, MailTranscript transcript, string server, int port, MailSecurity security, MailboxLogin login, LoginProof proof, TlsPolicy tls, DnsQuerier dns, ImapLoginResult result, CancellationToken cancellationToken)
    {
        SecureSocketOptions options = MailSession.SocketOptions(security, port, 993);
        if (!await MailSession.ConnectAsync(client, server, port, options, tls, dns, result, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        result.Capabilities = new SummaryList<string>(client.Capabilities.ToString().Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries));
        if (!client.IsSecure)
        {
            result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                Texts.Messages.Format("Mail_NoTls", server, port),
                Texts.Messages["Imap_NoTls_Remediation"]);
            return;
        }

        try
        {
            if (!await MailSession.AuthenticateImapAsync(client, proof, login, cancellationToken).ConfigureAwait(false))
            {
                MailSession.ConcludeNoOAuth(result, server, port, client.AuthenticationMechanisms);
                return;
            }
        }
        catch (Exception ex) when (MailSession.EndedSession(ex))
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Imap_EndedDuringLogin", server, LineProtocol.FirstLine(ex.Message)), Advice.ServerError);
            return;
        }
        catch (AuthenticationException ex)
        {
            string refusal = RefusalText(transcript, ex);
            result.ServerReply = refusal;
            DiagnosticCause cause = ClassifyRefusal(refusal, proof.IsToken);

            // A refused token locks nothing: the other protocols may still try theirs.
            result.CredentialRefused = cause != DiagnosticCause.TokenRefused;
            result.Conclude(CheckStatus.Failed, cause, Texts.Messages.Format("Imap_LoginRefused", server, login.UserName, refusal), RemediationFor(cause));
            return;
        }

        IMailFolder inbox = client.Inbox;
        try
        {
            await inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CommandException || MailSession.EndedSession(ex))
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError, Texts.Messages.Format("Imap_InboxNotOpened", server, LineProtocol.FirstLine(ex.Message)), Advice.ServerError);
            return;
        }

        result.InboxCount = inbox.Count;
        result.Conclude(CheckStatus.Passed, DiagnosticCause.None,
            Texts.Messages.Format("Imap_Passed", login.UserName, server, inbox.Count), null);
    }

    private static void RecordTranscript(ImapLoginResult result, MailTranscript transcript)
    {
        MailTranscript.Line? greeting = transcript.Lines.FirstOrDefault(l => l.FromServer);
        if (greeting != null)
        {
            result.Greeting = greeting.Text;
            result.IsExchange = ExchangeGreeting.IsMatch(greeting.Text);
            result.AddStep("Greeting", greeting.Text.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) ? CheckStatus.Passed : CheckStatus.Failed, greeting.Text, greeting.At);
        }

        // Each tagged command with its tagged answer: CAPABILITY, STARTTLS, AUTHENTICATE/LOGIN, SELECT/EXAMINE.
        foreach (MailTranscript.Line sent in transcript.Lines.Where(l => !l.FromServer))
        {
            string[] words = sent.Text.Split(' ');
            if (words.Length < 2 || words[0].Length == 0 || !char.IsLetter(words[0][0]))
            {
                continue;
            }

            MailTranscript.Line? answer = transcript.Lines.FirstOrDefault(l => l.FromServer && l.At >= sent.At && l.Text.StartsWith(words[0] + " ", StringComparison.Ordinal));
            if (answer == null)
            {
                continue;
            }

            string verb = words[1].ToUpperInvariant();
            // The mechanism's name is no secret, and says how the login was made (PLAIN, XOAUTH2).
            string shown = verb == "LOGIN" ? $"{words[0]} {verb} ********"
                : verb == "AUTHENTICATE" ? $"{words[0]} {verb} {(words.Length > 2 ? words[2] + " " : string.Empty)}********"
                : sent.Text;
            bool ok = answer.Text.Substring(words[0].Length + 1).StartsWith("OK", StringComparison.OrdinalIgnoreCase);
            result.AddStep(verb, ok ? CheckStatus.Passed : CheckStatus.Failed, $"C: {shown} S: {answer.Text}", answer.At - sent.At);
        }
    }
}
