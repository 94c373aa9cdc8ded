using System;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Checks;

/// <summary>Results of checks that were not run, each with the reason.</summary>
public static class SkippedResults
{
    /// <summary>Why an input was not tried after a refused credential, in the UI culture.</summary>
    public static string CredentialRefusedReason(string refusedBy, string user)
        => Texts.Messages.Format("Skipped_CredentialRefused", refusedBy, user);

    public static OwaLoginResult OwaLogin(Uri url, string reason) => Skip(new OwaLoginResult(url.ToString()), reason);

    public static EwsLoginResult EwsLogin(Uri url, string reason) => Skip(new EwsLoginResult(url.ToString()), reason);

    public static AutodiscoverResult Autodiscover(string emailAddress, string reason) => Skip(new AutodiscoverResult(emailAddress), reason);

    public static SmtpSendResult SmtpSend(string server, int port, string reason) => Skip(new SmtpSendResult(server, port), reason);

    public static ImapLoginResult ImapLogin(string server, int port, string reason) => Skip(new ImapLoginResult(server, port), reason);

    public static InboundSmtpResult InboundSmtp(string domain, string recipient, int port, string reason) => Skip(new InboundSmtpResult(domain, recipient) { Port = port }, reason);

    public static MailFlowResult MailFlow(string emailAddress, string reason) => Skip(new MailFlowResult(emailAddress), reason);

    internal static T Skip<T>(T result, string reason)
        where T : CheckResult
    {
        result.AddStep("Skipped", CheckStatus.Skipped, reason);
        result.Conclude(CheckStatus.Skipped, DiagnosticCause.None, reason, Texts.Messages["Skipped_FixFirst"]);
        return result;
    }
}
