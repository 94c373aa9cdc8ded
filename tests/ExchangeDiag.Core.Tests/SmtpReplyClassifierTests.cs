using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Tests;

public class SmtpReplyClassifierTests
{
    [Theory]
    // Exchange (PROTOCOL-NOTES 5)
    [InlineData("535 5.7.3 Authentication unsuccessful", DiagnosticCause.AuthenticationFailed)]
    [InlineData("530 5.7.57 Client not authenticated to send mail", DiagnosticCause.AuthenticationFailed)]
    [InlineData("550 5.7.1 Client does not have permissions to send as this sender", DiagnosticCause.SendAsDenied)]
    [InlineData("550 5.7.60 SMTP; Client does not have permissions to send as this sender", DiagnosticCause.SendAsDenied)]
    [InlineData("550 5.1.8 Access denied, bad outbound sender", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("550 5.7.705 Access denied, tenant has exceeded threshold", DiagnosticCause.OrganizationBlocked)]
    [InlineData("550 5.7.708 Access denied, traffic not accepted from this IP", DiagnosticCause.OrganizationBlocked)]
    [InlineData("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", DiagnosticCause.SmtpAuthDisabled)]
    [InlineData("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", DiagnosticCause.SmtpAuthDisabled)]
    [InlineData("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.", DiagnosticCause.SmtpAuthDisabled)]
    [InlineData("451 5.7.3 STARTTLS is required to send mail", DiagnosticCause.TlsRequired)]
    [InlineData("530 5.7.3 Authentication unsuccessful", DiagnosticCause.AuthenticationFailed)]
    [InlineData("554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.", DiagnosticCause.SendAsDenied)]
    [InlineData("554 5.2.252 SendAsDenied; user@contoso.com not allowed to send as boss@contoso.com", DiagnosticCause.SendAsDenied)]
    [InlineData("550 5.7.501 Service unavailable. Spam abuse detected from IP range.", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("550 5.7.502 Access denied, banned sender", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("550 5.7.503 Access denied, banned sender", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("554 5.2.2 Submission quota exceeded", DiagnosticCause.SendQuotaExceeded)]
    // Postfix, as the lab and many hosts answer
    [InlineData("535 5.7.8 Error: authentication failed: authentication failure", DiagnosticCause.AuthenticationFailed)]
    [InlineData("550 5.7.1 <spammer@post.lab.test>: Sender address rejected: Sender blocked: this account is blocked for sending spam", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("550 5.2.1 <expired@post.lab.test>: Recipient address rejected: Mailbox disabled: subscription expired", DiagnosticCause.SubscriptionExpired)]
    [InlineData("535 5.7.8 Error: authentication failed: account locked", DiagnosticCause.AccountLocked)]
    [InlineData("550 5.2.2 <over@post.lab.test>: Sender address rejected: Submission quota exceeded", DiagnosticCause.SendQuotaExceeded)]
    [InlineData("554 5.7.1 <x@elsewhere.example>: Relay access denied", DiagnosticCause.SendFailed)]
    [InlineData("451 4.3.0 Temporary lookup failure", DiagnosticCause.SendFailed)]
    [InlineData("552 5.3.4 Message size exceeds fixed limit", DiagnosticCause.SendFailed)]
    public void Real_world_replies_point_to_their_cause(string line, DiagnosticCause expected)
    {
        SmtpReply reply = SmtpReply.TryParse(line)!;

        Assert.Equal(expected, SmtpReplyClassifier.Classify(reply));
    }

    [Theory]
    [InlineData("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", DiagnosticCause.SmtpAuthDisabled, "Set-CASMailbox")]
    [InlineData("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.", DiagnosticCause.SmtpAuthDisabled, "OAuth")]
    [InlineData("550 5.7.708 Access denied, traffic not accepted from this IP", DiagnosticCause.OrganizationBlocked, "organisation")]
    public void A_refused_login_that_proves_nothing_about_the_password_is_no_credential_refusal(string line, DiagnosticCause expected, string remediationWord)
    {
        var result = new SmtpSendResult("smtp.office365.com", 587);

        SmtpSendCheck.ConcludeRefused(result, SmtpReply.TryParse(line)!, SmtpPhase.Auth);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(expected, result.Cause);
        Assert.False(result.CredentialRefused);
        Assert.Contains(remediationWord, result.Remediation);
    }

    [Fact]
    public void STARTTLS_required_at_MAIL_FROM_is_a_TLS_failure_not_a_temporary_error()
    {
        var result = new SmtpSendResult("smtp.office365.com", 587);

        SmtpSendCheck.ConcludeRefused(result, SmtpReply.TryParse("451 5.7.3 STARTTLS is required to send mail")!, SmtpPhase.MailFrom);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.TlsRequired, result.Cause);
        Assert.Contains("STARTTLS", result.Message);
        Assert.Contains("587", result.Remediation);
    }

    [Theory]
    [InlineData("554 5.7.503 Access denied, banned sender", DiagnosticCause.AccountBlockedForSpam)]
    [InlineData("550 5.7.705 Access denied, tenant has exceeded threshold", DiagnosticCause.OrganizationBlocked)]
    [InlineData("550 5.7.1 Message rejected as spam by Content Filtering", DiagnosticCause.SendFailed)]
    public void At_DATA_a_ban_still_judges_the_sender_and_a_spam_verdict_the_message(string line, DiagnosticCause expected)
    {
        var result = new SmtpSendResult("smtp.office365.com", 587);

        SmtpSendCheck.ConcludeRefused(result, SmtpReply.TryParse(line)!, SmtpPhase.Data);

        Assert.Equal(expected, result.Cause);
    }

    [Fact]
    public void A_reply_keeps_its_codes_and_text()
    {
        SmtpReply reply = SmtpReply.TryParse("550 5.1.8 Access denied, bad outbound sender")!;

        Assert.Equal(550, reply.StatusCode);
        Assert.Equal("5.1.8", reply.EnhancedCode);
        Assert.Equal("Access denied, bad outbound sender", reply.Text);
        Assert.Equal("550 5.1.8 Access denied, bad outbound sender", reply.ToString());
    }

    [Fact]
    public void MailKit_exception_messages_parse_too()
    {
        SmtpReply reply = SmtpReply.TryParse("535: 5.7.3 Authentication unsuccessful")!;

        Assert.Equal(535, reply.StatusCode);
        Assert.Equal("5.7.3", reply.EnhancedCode);
    }

    [Fact]
    public void A_reply_without_enhanced_code_has_none()
    {
        SmtpReply reply = new SmtpReply(554, "Transaction failed");

        Assert.Null(reply.EnhancedCode);
        Assert.Equal(DiagnosticCause.SendFailed, SmtpReplyClassifier.Classify(reply));
    }
}

public class ImapRefusalTests
{
    [Theory]
    [InlineData("LOGIN failed.", DiagnosticCause.AuthenticationFailed)]
    [InlineData("[AUTHENTICATIONFAILED] Authentication failed.", DiagnosticCause.AuthenticationFailed)]
    [InlineData("Account suspended: subscription expired", DiagnosticCause.SubscriptionExpired)]
    [InlineData("Account locked: too many failed logins", DiagnosticCause.AccountLocked)]
    public void Refusal_texts_point_to_their_cause(string text, DiagnosticCause expected)
    {
        Assert.Equal(expected, ExchangeDiag.Mail.ImapLoginCheck.ClassifyRefusal(text));
    }
}
