using System;
using System.Linq;
using ExchangeDiag.Diagnosis;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>The verdict's rules, case by case: which results lead to which causes, in which order, explaining what.</summary>
public class RootCauseRulesTests
{
    private const string Address = "user@contoso.com";

    [Fact]
    public void AllPassingIsHealthyWithNoCause()
    {
        DiagnosticReport report = Analyse(Healthy());

        Assert.Empty(report.Causes);
        Assert.Equal(CheckStatus.Passed, report.Status);
        Assert.True(report.Passed);
        Assert.Contains("9", report.Verdict);
        Assert.All(report.Results, r => Assert.Equal(DiagnosticCause.None, r.ExplainedBy));
    }

    [Fact]
    public void WarningsKeepTheMailboxHealthy()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Warning, DiagnosticCause.MxInvalid);

        DiagnosticReport report = Analyse(results);

        Assert.Empty(report.Causes);
        Assert.Equal(CheckStatus.Warning, report.Status);
        Assert.True(report.Passed);
    }

    [Fact]
    public void OneWrongPasswordIsOneCauseThatExplainsEverySkippedLogin()
    {
        CheckResult[] results = Healthy();
        Refuse(results, "OwaLogin", DiagnosticCause.WebmailAuthFailed);
        SkipAfterRefusal(results, "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.WrongPassword, cause.Cause);
        Assert.Equal(5, cause.Explains.Count);
        Assert.Contains(cause.Evidence, e => e.StartsWith("OwaLogin", StringComparison.Ordinal));
        Assert.All(results.Where(r => r.Check is "OwaLogin" or "Autodiscover" or "ImapLogin" or "SmtpSend" or "MailFlow"), r => Assert.Equal(DiagnosticCause.WrongPassword, r.ExplainedBy));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.Equal(cause.Message, report.Verdict);
    }

    [Fact]
    public void ARefusalAfterAnotherLoginAcceptedThePasswordIsNoWrongPassword()
    {
        // OWA and IMAP accept the password; submission answers 535 (SMTP AUTH disabled for the mailbox).
        CheckResult[] results = Healthy();
        Refuse(results, "SmtpSend", DiagnosticCause.AuthenticationFailed);
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.SendFailed);

        DiagnosticReport report = Analyse(results);

        Assert.DoesNotContain(report.Causes, c => c.Cause == DiagnosticCause.WrongPassword);
        Assert.Equal(DiagnosticCause.AuthenticationFailed, report.Causes[0].Cause);
    }

    [Fact]
    public void SmtpAuthBlockedBySecurityDefaultsIsNoLockoutAndNoWrongPassword()
    {
        // The reply says "locked", but 5.7.139 is SMTP AUTH blocked: the password was never checked.
        CheckResult[] results = Healthy();
        var send = (SmtpSendResult)Find(results, "SmtpSend");
        SmtpSendCheck.ConcludeRefused(send, SmtpReply.TryParse("535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.")!, SmtpPhase.Auth);
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.SendFailed);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.SendFailed, cause.Cause);
        Assert.Contains("5.7.139", cause.Message);
        Assert.Contains("SmtpClientAuthenticationDisabled", cause.Remediation);
        Assert.Equal(DiagnosticCause.SmtpAuthDisabled, send.Cause);
    }

    [Fact]
    public void ADisabledAccountInEntraIdIsOneCauseThatExplainsEveryLogin()
    {
        // -AuthMethod OAuth: the sign-in itself was refused (AADSTS50057); every login concluded from it.
        CheckResult[] results = Healthy();
        foreach (string check in new[] { "OwaLogin", "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow" })
        {
            ExchangeDiag.Auth.SignInFailure.FromIdentityProvider("user@lab.test", "invalid_grant", "AADSTS50057: The user account is disabled.").Conclude(Find(results, check));
        }

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.AccountDisabled, cause.Cause);
        Assert.Equal(5, cause.Explains.Count);
        Assert.Contains("Update-MgUser", cause.Remediation);
        Assert.Equal(CheckStatus.Failed, report.Status);
    }

    [Fact]
    public void SpamBlockWhileReceivingWorksComesFirstAndExplainsTheFailedRoundTrip()
    {
        CheckResult[] results = Healthy();
        Set(results, "SmtpSend", CheckStatus.Failed, DiagnosticCause.AccountBlockedForSpam);
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.SendFailed);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.AccountBlockedForSpam, cause.Cause);
        // Receiving works: the IMAP login and the inbound MX are named as supporting evidence.
        Assert.Contains(cause.Evidence, e => e.StartsWith("ImapLogin", StringComparison.Ordinal));
        Assert.Contains(cause.Evidence, e => e.StartsWith("InboundSmtp", StringComparison.Ordinal));
        Assert.Equal(DiagnosticCause.AccountBlockedForSpam, Find(results, "MailFlow").ExplainedBy);
    }

    [Fact]
    public void AnInboundRefusalForAnExpiredSubscriptionOutranksTheRefusedLogin()
    {
        CheckResult[] results = Healthy();
        Refuse(results, "OwaLogin", DiagnosticCause.WebmailAuthFailed);
        SkipAfterRefusal(results, "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow");
        var inbound = (InboundSmtpResult)Find(results, "InboundSmtp");
        inbound.ServerReply = new SmtpReply(550, "5.2.1 <user@contoso.com>: Recipient address rejected: Mailbox disabled: subscription expired");
        inbound.Conclude(CheckStatus.Failed, DiagnosticCause.ReceiveFailed, "refused", "fix");

        DiagnosticReport report = Analyse(results);

        Assert.Equal(DiagnosticCause.SubscriptionExpired, report.Causes[0].Cause);
        Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.SubscriptionExpired, Find(results, "OwaLogin").ExplainedBy);
        Assert.Equal(DiagnosticCause.SubscriptionExpired, inbound.ExplainedBy);
    }

    [Theory]
    [InlineData(DiagnosticCause.SubscriptionExpired)]
    [InlineData(DiagnosticCause.AccountLocked)]
    [InlineData(DiagnosticCause.PasswordExpired)]
    [InlineData(DiagnosticCause.AccessRuleBlocked)]
    public void AnAccountStateNamedByALoginOutranksAWrongPassword(DiagnosticCause state)
    {
        CheckResult[] results = Healthy();
        Refuse(results, "OwaLogin", state);
        SkipAfterRefusal(results, "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow");

        DiagnosticReport report = Analyse(results);

        Assert.Equal(state, Assert.Single(report.Causes).Cause);
        Assert.Equal(state, Find(results, "ImapLogin").ExplainedBy);
    }

    [Fact]
    public void TheProvidersOrderDecidesWhichCauseComesFirst()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Failed, DiagnosticCause.MxInvalid);
        Set(results, "Srv", CheckStatus.Failed, DiagnosticCause.SrvInvalid);
        Set(results, "SmtpSend", CheckStatus.Failed, DiagnosticCause.SendQuotaExceeded);
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.SendFailed);
        Set(results, "Certificate", CheckStatus.Failed, DiagnosticCause.CertificateInvalid);

        DiagnosticReport report = Analyse(results);

        Assert.Equal(
            new[] { DiagnosticCause.MxInvalid, DiagnosticCause.SrvInvalid, DiagnosticCause.SendFailed, DiagnosticCause.CertificateInvalid },
            report.Causes.Select(c => c.Cause).ToArray());
        Assert.Contains("3", report.Verdict);
    }

    [Fact]
    public void AWrongPasswordOutranksTheDnsCauses()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Failed, DiagnosticCause.MxInvalid);
        Refuse(results, "OwaLogin", DiagnosticCause.WebmailAuthFailed);
        SkipAfterRefusal(results, "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow");

        DiagnosticReport report = Analyse(results);

        Assert.Equal(new[] { DiagnosticCause.WrongPassword, DiagnosticCause.MxInvalid }, report.Causes.Select(c => c.Cause).ToArray());
        Assert.Contains("1", report.Verdict);
    }

    [Fact]
    public void MxInvalidExplainsTheMessageThatDidNotArrive()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Failed, DiagnosticCause.MxInvalid);
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.ReceiveFailed);

        DiagnosticReport report = Analyse(results);

        Assert.Equal(DiagnosticCause.MxInvalid, Assert.Single(report.Causes).Cause);
        Assert.Equal(DiagnosticCause.MxInvalid, Find(results, "MailFlow").ExplainedBy);
    }

    [Fact]
    public void SrvInvalidExplainsAFailedAutodiscoverAndTheChecksWithoutAServer()
    {
        CheckResult[] results = Healthy();
        Set(results, "Srv", CheckStatus.Failed, DiagnosticCause.SrvInvalid);
        Set(results, "Autodiscover", CheckStatus.Failed, DiagnosticCause.AutodiscoverFailed);
        Find(results, "OwaLogin").SkipReason = SkipReason.NoServer;
        Set(results, "OwaLogin", CheckStatus.Skipped, DiagnosticCause.None);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.SrvInvalid, cause.Cause);
        Assert.Equal(3, cause.Explains.Count);
    }

    [Fact]
    public void AWrongAutodiscoverCnameExplainsAFailedAutodiscoverWithItsOwnAdvice()
    {
        CheckResult[] results = Healthy();
        Set(results, "Srv", CheckStatus.Failed, DiagnosticCause.AutodiscoverCnameInvalid, "autodiscover.contoso.com does not exist", "Publish the record autodiscover.contoso.com. CNAME autodiscover.outlook.com.");
        Set(results, "Autodiscover", CheckStatus.Failed, DiagnosticCause.AutodiscoverFailed);
        Find(results, "OwaLogin").SkipReason = SkipReason.NoServer;
        Set(results, "OwaLogin", CheckStatus.Skipped, DiagnosticCause.None);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.AutodiscoverCnameInvalid, cause.Cause);
        Assert.Equal(3, cause.Explains.Count);
        Assert.Contains("autodiscover CNAME", cause.Message);
        Assert.Contains("autodiscover.contoso.com. CNAME autodiscover.outlook.com.", cause.Remediation);
        Assert.Equal(cause.Message, report.Verdict);
    }

    [Fact]
    public void SendFailedCarriesTheReplysOwnCauseAndRemediation()
    {
        CheckResult[] results = Healthy();
        Set(results, "SmtpSend", CheckStatus.Failed, DiagnosticCause.SendAsDenied, "550 5.7.1 Client does not have permissions to send as this sender", "Use the mailbox's own address.");
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.SendFailed);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.SendFailed, cause.Cause);
        Assert.Contains("5.7.1", cause.Message);
        Assert.Equal("Use the mailbox's own address.", cause.Remediation);
    }

    [Fact]
    public void ReceiveFailedWhenTheMessageDoesNotArriveAndDnsIsRight()
    {
        CheckResult[] results = Healthy();
        Set(results, "MailFlow", CheckStatus.Failed, DiagnosticCause.ReceiveFailed);

        Assert.Equal(DiagnosticCause.ReceiveFailed, Assert.Single(Analyse(results).Causes).Cause);
    }

    [Fact]
    public void UnreachableEndpointsWithRightDnsAreAPlatformIncident()
    {
        CheckResult[] results = Healthy();
        Set(results, "OwaLogin", CheckStatus.Error, DiagnosticCause.Unreachable);
        Set(results, "ImapLogin", CheckStatus.Error, DiagnosticCause.Unreachable);
        Set(results, "Certificate", CheckStatus.Error, DiagnosticCause.Unreachable);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.PlatformIncident, cause.Cause);
        Assert.Contains(cause.Evidence, e => e.StartsWith("Mx", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Error, report.Status);
    }

    [Fact]
    public void UnreachableEndpointsWithWrongDnsAreNoPlatformIncident()
    {
        CheckResult[] results = Healthy();
        Set(results, "Srv", CheckStatus.Failed, DiagnosticCause.SrvInvalid);
        Set(results, "OwaLogin", CheckStatus.Error, DiagnosticCause.Unreachable);

        DiagnosticReport report = Analyse(results);

        Assert.DoesNotContain(report.Causes, c => c.Cause == DiagnosticCause.PlatformIncident);
        Assert.Equal(new[] { DiagnosticCause.SrvInvalid, DiagnosticCause.Unreachable }, report.Causes.Select(c => c.Cause).ToArray());
    }

    [Fact]
    public void AnInboundPort25ThatCannotBeReachedIsNoPlatformIncident()
    {
        CheckResult[] results = Healthy();
        Set(results, "InboundSmtp", CheckStatus.Error, DiagnosticCause.Unreachable);

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.Unreachable, cause.Cause);
    }

    [Fact]
    public void FailuresNoRuleKnowsStandAsOneCauseEach()
    {
        CheckResult[] results = Healthy();
        Set(results, "Autodiscover", CheckStatus.Failed, DiagnosticCause.NotExchange, "not Exchange", "use the right server");
        Set(results, "OwaLogin", CheckStatus.Failed, DiagnosticCause.NotExchange, "not Exchange either", "same");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.NotExchange, cause.Cause);
        Assert.Equal(2, cause.Explains.Count);
        Assert.Equal("use the right server", cause.Remediation);
    }

    [Fact]
    public void ADeadDnsServerIsThisComputersFaultAndExplainsEveryCheckItSkipped()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Error, DiagnosticCause.LocalDnsFailure, "the DNS server 127.0.0.99:5300 did not answer");
        Set(results, "Srv", CheckStatus.Error, DiagnosticCause.LocalDnsFailure);
        Skip(results, SkipReason.LocalDns, "Autodiscover", "OwaLogin", "ImapLogin", "SmtpSend", "MailFlow", "InboundSmtp");
        Skip(results, SkipReason.LocalDns, "Certificate");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.LocalDnsFailure, cause.Cause);
        Assert.Contains("127.0.0.99:5300", cause.Message);
        Assert.Equal(9, cause.Explains.Count);
        Assert.Equal(CheckStatus.Error, report.Status);
        Assert.False(report.Passed);
    }

    [Fact]
    public void AMailboxFaultFoundBesideADeadDnsServerStillFailsTheReport()
    {
        // -ExchangeServer given: the logins ran and the password was refused, whatever DNS did.
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Error, DiagnosticCause.LocalDnsFailure);
        Set(results, "Srv", CheckStatus.Error, DiagnosticCause.LocalDnsFailure);
        Skip(results, SkipReason.LocalDns, "Autodiscover", "InboundSmtp");
        Refuse(results, "OwaLogin", DiagnosticCause.WebmailAuthFailed);
        SkipAfterRefusal(results, "ImapLogin", "SmtpSend", "MailFlow");

        DiagnosticReport report = Analyse(results);

        Assert.Equal(new[] { DiagnosticCause.LocalDnsFailure, DiagnosticCause.WrongPassword }, report.Causes.Select(c => c.Cause).ToArray());
        Assert.Equal(CheckStatus.Failed, report.Status);
    }

    [Fact]
    public void ADomainThatDoesNotExistIsOneCauseNotWrongRecords()
    {
        CheckResult[] results = Healthy();
        Set(results, "Mx", CheckStatus.Failed, DiagnosticCause.DomainNotFound, "the domain contoso.cmo does not exist");
        Set(results, "Srv", CheckStatus.Failed, DiagnosticCause.DomainNotFound);
        Skip(results, SkipReason.DomainNotFound, "Autodiscover", "InboundSmtp");
        Skip(results, SkipReason.NoServer, "OwaLogin", "ImapLogin", "SmtpSend", "MailFlow", "Certificate");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.DomainNotFound, cause.Cause);
        Assert.Contains("contoso.cmo does not exist", report.Verdict);
        Assert.Equal(CheckStatus.Failed, report.Status);
    }

    [Fact]
    public void NoServerAnsweringAtAllIsThisComputersNetworkNotAnIncident()
    {
        CheckResult[] results = Healthy();
        Set(results, "Autodiscover", CheckStatus.Failed, DiagnosticCause.AutodiscoverFailed);
        foreach (string check in new[] { "OwaLogin", "ImapLogin", "MailFlow", "InboundSmtp", "Certificate" })
        {
            Set(results, check, CheckStatus.Error, DiagnosticCause.Unreachable, $"{check}: connection refused");
        }

        Skip(results, SkipReason.NotReached, "SmtpSend");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.LocalNetworkFailure, cause.Cause);
        Assert.Equal(CheckStatus.Error, report.Status);
    }

    [Fact]
    public void OneServerDownWhileTheMxHostAnswersIsNoLocalNetworkFailure()
    {
        CheckResult[] results = Healthy();
        foreach (string check in new[] { "OwaLogin", "ImapLogin", "MailFlow", "Certificate" })
        {
            Set(results, check, CheckStatus.Error, DiagnosticCause.Unreachable);
        }

        Skip(results, SkipReason.NotReached, "SmtpSend");

        Assert.Equal(DiagnosticCause.PlatformIncident, Assert.Single(Analyse(results).Causes).Cause);
    }

    [Fact]
    public void AWrongExchangeServerIsTheUsersInputNotTheMailbox()
    {
        CheckResult[] results = Healthy();
        foreach (string check in new[] { "OwaLogin", "ImapLogin", "MailFlow" })
        {
            Set(results, check, CheckStatus.Error, DiagnosticCause.WrongExchangeServer, "ex9.mail.ovh.net could not be reached, while ex4.mail.ovh.net answers");
        }

        Skip(results, SkipReason.NotReached, "SmtpSend");

        DiagnosticReport report = Analyse(results);

        RootCause cause = Assert.Single(report.Causes);
        Assert.Equal(DiagnosticCause.WrongExchangeServer, cause.Cause);
        Assert.Contains("ex4.mail.ovh.net answers", cause.Message);
        Assert.Equal(CheckStatus.Error, report.Status);
    }

    [Fact]
    public void AWorkingMailboxWhoseDomainGetsMailAuthenticationWrongIsAWarningNamingItsCauses()
    {
        CheckResult[] results = WithDomainAuthentication(Healthy());
        Set(results, "Spf", CheckStatus.Failed, DiagnosticCause.SpfMissing, "contoso.com publishes no SPF record.");
        Set(results, "Dkim", CheckStatus.Failed, DiagnosticCause.DkimMissing);
        Set(results, "Dmarc", CheckStatus.Failed, DiagnosticCause.DmarcMissing);
        Set(results, "Blocklist", CheckStatus.Failed, DiagnosticCause.Blocklisted);
        Set(results, "MtaSts", CheckStatus.Failed, DiagnosticCause.MtaStsInvalid);

        DiagnosticReport report = Analyse(results);

        Assert.Equal(CheckStatus.Warning, report.Status);
        Assert.True(report.Passed);
        Assert.Equal(
            new[] { DiagnosticCause.MtaStsInvalid, DiagnosticCause.Blocklisted, DiagnosticCause.SpfMissing, DiagnosticCause.DmarcMissing, DiagnosticCause.DkimMissing },
            report.Causes.Select(c => c.Cause));
        Assert.StartsWith("The mailbox works, but ", report.Verdict, StringComparison.Ordinal);
        Assert.Equal("fix it", report.Causes[0].Remediation);
    }

    [Fact]
    public void MailAuthenticationRanksAfterTheMailboxAndItsDnsErrorsNeverComeFirst()
    {
        CheckResult[] results = WithDomainAuthentication(Healthy());
        Refuse(results, "OwaLogin", DiagnosticCause.AccountLocked);
        SkipAfterRefusal(results, "Autodiscover", "ImapLogin", "SmtpSend", "MailFlow");
        // A DMARC walk whose lookup and root probe timed out: the DNS server is flaky, the domain's mail authentication unknown.
        Set(results, "Dmarc", CheckStatus.Error, DiagnosticCause.LocalDnsFailure);
        Set(results, "Dkim", CheckStatus.Failed, DiagnosticCause.DkimMissing);

        DiagnosticReport report = Analyse(results);

        Assert.Equal(DiagnosticCause.AccountLocked, report.Causes[0].Cause);
        Assert.Equal(new[] { DiagnosticCause.AccountLocked, DiagnosticCause.DkimMissing, DiagnosticCause.LocalDnsFailure }, report.Causes.Select(c => c.Cause));
        Assert.Equal(CheckStatus.Failed, report.Status);
        Assert.DoesNotContain("The mailbox works", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void AMailAuthenticationCheckThatCouldNotTellNeverMakesTheReportCouldNotDiagnose()
    {
        CheckResult[] results = WithDomainAuthentication(Healthy());
        Set(results, "Dmarc", CheckStatus.Error, DiagnosticCause.DnsUnavailable);
        Set(results, "MtaSts", CheckStatus.Error, DiagnosticCause.Unreachable);

        DiagnosticReport report = Analyse(results);

        Assert.Equal(CheckStatus.Warning, report.Status);
        Assert.DoesNotContain(report.Causes, c => c.Cause == DiagnosticCause.PlatformIncident || c.Cause == DiagnosticCause.LocalNetworkFailure);
        Assert.All(report.Causes, c => Assert.True(c.Cause == DiagnosticCause.DnsUnavailable || c.Cause == DiagnosticCause.Unreachable));
    }

    [Fact]
    public void EveryRuleHasItsTextsInEveryLanguage()
    {
        foreach (RootCauseRule rule in RootCauseRules.All)
        {
            Assert.Contains($"Cause_{rule.Cause}", Texts.Diagnosis.Keys());
            Assert.Contains($"Fix_{rule.Cause}", Texts.Diagnosis.Keys());
        }
    }

    private static DiagnosticReport Analyse(CheckResult[] results)
    {
        var report = new DiagnosticReport(Address, "contoso.com");
        RootCauseAnalysis.Apply(report, results);
        return report;
    }

    /// <summary>One passing result of every check a diagnosis runs.</summary>
    private static CheckResult[] Healthy()
    {
        CheckResult[] results =
        {
            new MxCheckResult("contoso.com"),
            new SrvCheckResult("contoso.com", "_autodiscover._tcp.contoso.com"),
            new AutodiscoverResult(Address),
            new OwaLoginResult("https://ex4.mail.ovh.net/owa/"),
            new ImapLoginResult("ex4.mail.ovh.net", 993),
            new SmtpSendResult("ex4.mail.ovh.net", 587),
            new MailFlowResult(Address),
            new InboundSmtpResult("contoso.com", Address),
            new CertificateResult("ex4.mail.ovh.net", 443, StartTlsMode.None),
        };
        foreach (CheckResult result in results)
        {
            result.Conclude(CheckStatus.Passed, DiagnosticCause.None, "ok", null);
        }

        return results;
    }

    /// <summary>The results and one passing result of each mail-authentication check.</summary>
    private static CheckResult[] WithDomainAuthentication(CheckResult[] results)
    {
        CheckResult[] domain =
        {
            new SpfCheckResult("contoso.com"),
            new DkimCheckResult("contoso.com"),
            new DmarcCheckResult("contoso.com"),
            new BlocklistCheckResult("contoso.com"),
            new MtaStsCheckResult("contoso.com"),
        };
        foreach (CheckResult result in domain)
        {
            result.Conclude(CheckStatus.Passed, DiagnosticCause.None, "ok", null);
        }

        return results.Concat(domain).ToArray();
    }

    private static CheckResult Find(CheckResult[] results, string check) => results.Single(r => r.Check == check);

    private static void Set(CheckResult[] results, string check, CheckStatus status, DiagnosticCause cause, string message = "failed", string remediation = "fix it")
        => Find(results, check).Conclude(status, cause, message, remediation);

    private static void Refuse(CheckResult[] results, string check, DiagnosticCause cause)
    {
        Set(results, check, CheckStatus.Failed, cause);
        Find(results, check).CredentialRefused = true;
    }

    private static void Skip(CheckResult[] results, SkipReason reason, params string[] checks)
    {
        foreach (string check in checks)
        {
            Set(results, check, CheckStatus.Skipped, DiagnosticCause.None, "not tried");
            Find(results, check).SkipReason = reason;
        }
    }

    private static void SkipAfterRefusal(CheckResult[] results, params string[] checks) => Skip(results, SkipReason.CredentialRefused, checks);
}
