using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Diagnosis;

/// <summary>One cause of the provider's guide, and how to recognise it in a diagnosis's results.</summary>
internal sealed class RootCauseRule
{
    public RootCauseRule(DiagnosticCause cause, Func<CheckResult, bool> evidence, Func<CheckResult, bool> explains)
    {
        Cause = cause;
        IsEvidence = evidence;
        Explains = explains;
    }

    public DiagnosticCause Cause { get; }

    /// <summary>A failing result that points to this cause; the rule applies when one does.</summary>
    public Func<CheckResult, bool> IsEvidence { get; }

    /// <summary>A failing or skipped result this cause accounts for.</summary>
    public Func<CheckResult, bool> Explains { get; }

    /// <summary>Passing results that support the cause, such as "receiving works" for a spam block.</summary>
    public Func<CheckResult, bool>? Supports { get; set; }

    /// <summary>A condition on all the results, such as "DNS is right" for a platform incident.</summary>
    public Func<IReadOnlyList<CheckResult>, bool>? OnlyWhen { get; set; }

    /// <summary>The evidence's own remediation says more than a general one (a send refusal's reply).</summary>
    public bool RemediationFromEvidence { get; set; }

    /// <summary>
    /// A cause of the domain's mail authentication. Only such rules take those checks' results as
    /// evidence: a DMARC lookup that timed out must not put "this computer's DNS" before a locked account.
    /// </summary>
    public bool ForDomainAuthentication { get; set; }
}

/// <summary>
/// The causes the provider's guide lists, in its order of precedence: facts about the account
/// first (spam block, subscription, lock), then credentials, DNS, sending, receiving and the platform.
/// The first rule that explains a result claims it, so one wrong password reads as one problem.
/// </summary>
internal static class RootCauseRules
{
    /// <summary>What a refused submission says; SMTP AUTH disabled or STARTTLS missing proves nothing about the password. Declared before All, which reads it.</summary>
    private static readonly DiagnosticCause[] SendCauses =
    {
        DiagnosticCause.SendFailed, DiagnosticCause.SendQuotaExceeded, DiagnosticCause.SendAsDenied,
        DiagnosticCause.SmtpAuthDisabled, DiagnosticCause.TlsRequired, DiagnosticCause.OrganizationBlocked,
    };

    /// <summary>Causes that say the diagnosis could not be made from here: a report they explain is an Error, not Failed.</summary>
    private static readonly DiagnosticCause[] CannotDiagnoseCauses =
    {
        DiagnosticCause.LocalDnsFailure, DiagnosticCause.LocalNetworkFailure, DiagnosticCause.WrongExchangeServer,
        DiagnosticCause.CheckFailed, DiagnosticCause.DnsUnavailable,
        DiagnosticCause.SignInIncomplete, DiagnosticCause.AppRegistrationInvalid, DiagnosticCause.ConsentRequired,
        DiagnosticCause.BasicAuthDisabled, DiagnosticCause.TokenWithheld,
    };

    public static IReadOnlyList<RootCauseRule> All { get; } = new[]
    {
        // This computer's own DNS comes first: what it hides is unknown, not wrong. The provider's
        // facts and the logins at a given -ExchangeServer still stand as causes of their own.
        new RootCauseRule(DiagnosticCause.LocalDnsFailure, Failing(DiagnosticCause.LocalDnsFailure), r => Failing(DiagnosticCause.LocalDnsFailure, DiagnosticCause.DnsUnavailable)(r) || r.SkipReason == SkipReason.LocalDns || NothingResolved(r)),
        new RootCauseRule(DiagnosticCause.DomainNotFound, Failing(DiagnosticCause.DomainNotFound), r => Failing(DiagnosticCause.DomainNotFound, DiagnosticCause.SrvInvalid, DiagnosticCause.AutodiscoverCnameInvalid, DiagnosticCause.MxInvalid, DiagnosticCause.AutodiscoverFailed)(r) || r.SkipReason == SkipReason.DomainNotFound),
        // The domain's own DNS not answering (SERVFAIL, its name servers silent): what it hides is unknown too,
        // not "mail does not arrive" nor "Autodiscover is wrong".
        new RootCauseRule(DiagnosticCause.DnsUnavailable, r => IsDns(r) && Failing(DiagnosticCause.DnsUnavailable)(r), r => Failing(DiagnosticCause.DnsUnavailable)(r) || NothingResolved(r))
        {
            // The lookup's own advice: SERVFAIL, a silent name server and a malformed answer differ.
            RemediationFromEvidence = true,
        },
        new RootCauseRule(DiagnosticCause.AccountBlockedForSpam, Failing(DiagnosticCause.AccountBlockedForSpam), Failing(DiagnosticCause.AccountBlockedForSpam, DiagnosticCause.SendFailed))
        {
            Supports = r => r.Passed && (r is ImapLoginResult || r is InboundSmtpResult),
        },
        // A mailbox disabled for an expired subscription refuses its mail too, whatever the logins said.
        new RootCauseRule(DiagnosticCause.SubscriptionExpired, r => Failing(DiagnosticCause.SubscriptionExpired)(r) || InboundRefusedAs(r, DiagnosticCause.SubscriptionExpired), r => AccountWide(r) || InboundFailing(r))
        {
            Supports = r => r.CredentialRefused,
        },
        new RootCauseRule(DiagnosticCause.AccountLocked, Failing(DiagnosticCause.AccountLocked), AccountWide),
        // Microsoft Entra ID's verdicts on the account (-AuthMethod OAuth): no protocol gets a token past them.
        SignInRule(DiagnosticCause.AccountDisabled, AccountWide),
        SignInRule(DiagnosticCause.ConditionalAccessBlocked, AccountWide),
        SignInRule(DiagnosticCause.MfaRequired, AccountWide),
        new RootCauseRule(DiagnosticCause.PasswordExpired, Failing(DiagnosticCause.PasswordExpired), AccountWide),
        // The sign-in's own setup: the app, its consent, or a sign-in nobody finished. Nothing is known of the mailbox.
        SignInRule(DiagnosticCause.AppRegistrationInvalid),
        SignInRule(DiagnosticCause.ConsentRequired),
        SignInRule(DiagnosticCause.SignInIncomplete),
        SignInRule(DiagnosticCause.TokenRefused),
        new RootCauseRule(DiagnosticCause.AccessRuleBlocked, Failing(DiagnosticCause.AccessRuleBlocked), r => Failing(DiagnosticCause.AccessRuleBlocked)(r) || LoginNotTried(r)),
        // A password another protocol accepted is not wrong: that refusal stands as a cause of its own.
        new RootCauseRule(DiagnosticCause.WrongPassword, r => r.CredentialRefused && Failing(DiagnosticCause.WebmailAuthFailed, DiagnosticCause.AuthenticationFailed)(r), AccountWide)
        {
            OnlyWhen = results => !results.Any(r => IsLogin(r) && r.Passed),
        },
        new RootCauseRule(DiagnosticCause.MxInvalid, r => r is MxCheckResult && Failing(DiagnosticCause.MxInvalid)(r), r => Failing(DiagnosticCause.MxInvalid, DiagnosticCause.ReceiveFailed)(r) || InboundFailing(r)),
        new RootCauseRule(DiagnosticCause.SrvInvalid, r => r is SrvCheckResult && Failing(DiagnosticCause.SrvInvalid)(r), r => Failing(DiagnosticCause.SrvInvalid, DiagnosticCause.AutodiscoverFailed)(r) || r.SkipReason == SkipReason.NoServer),
        // Microsoft 365's way to Autodiscover: the same place in the guide's order as the SRV record it replaces.
        new RootCauseRule(DiagnosticCause.AutodiscoverCnameInvalid, r => r is SrvCheckResult && Failing(DiagnosticCause.AutodiscoverCnameInvalid)(r), r => Failing(DiagnosticCause.AutodiscoverCnameInvalid, DiagnosticCause.AutodiscoverFailed)(r) || r.SkipReason == SkipReason.NoServer)
        {
            // The check's advice names the record to publish, which the general one cannot.
            RemediationFromEvidence = true,
        },
        // A password aimed at Exchange Online was not sent: after what DNS says of the domain, which is a finding.
        SignInRule(DiagnosticCause.BasicAuthDisabled),
        SignInRule(DiagnosticCause.TokenWithheld),
        new RootCauseRule(DiagnosticCause.SendFailed, r => r is SmtpSendResult && Failing(SendCauses)(r), Failing(SendCauses))
        {
            RemediationFromEvidence = true,
        },
        new RootCauseRule(DiagnosticCause.ReceiveFailed, r => Failing(DiagnosticCause.ReceiveFailed)(r) || (InboundFailing(r) && r.Cause != DiagnosticCause.Unreachable), r => Failing(DiagnosticCause.ReceiveFailed)(r) || InboundFailing(r))
        {
            RemediationFromEvidence = true,
        },
        new RootCauseRule(DiagnosticCause.CertificateInvalid, Failing(DiagnosticCause.CertificateInvalid), Failing(DiagnosticCause.CertificateInvalid)),
        new RootCauseRule(DiagnosticCause.WrongExchangeServer, Failing(DiagnosticCause.WrongExchangeServer), r => Failing(DiagnosticCause.WrongExchangeServer, DiagnosticCause.Unreachable)(r) || LoginNotTried(r)),
        // Every server failing to answer, and more than one of them, points at this computer's network first.
        new RootCauseRule(DiagnosticCause.LocalNetworkFailure, r => Failing(DiagnosticCause.Unreachable)(r), r => Failing(DiagnosticCause.Unreachable, DiagnosticCause.AutodiscoverFailed)(r) || r.SkipReason != SkipReason.None || r.Cause == DiagnosticCause.Unreachable)
        {
            OnlyWhen = NoServerAnswered,
        },
        // Port 25 is often blocked on the user's own network: the inbound check alone is no incident.
        new RootCauseRule(DiagnosticCause.PlatformIncident, r => !(r is InboundSmtpResult) && Failing(DiagnosticCause.Unreachable, DiagnosticCause.ServerError)(r), r => Failing(DiagnosticCause.Unreachable, DiagnosticCause.ServerError, DiagnosticCause.AutodiscoverFailed)(r) || r.SkipReason != SkipReason.None)
        {
            OnlyWhen = results => results.Where(IsDns).All(r => r.Passed),
            Supports = r => r.Passed && IsDns(r),
        },
        // The domain's mail authentication last: why its mail is refused or filed as spam elsewhere,
        // below every fault of the mailbox itself (a working mailbox with these wrong is a Warning:
        // RootCauseAnalysis). MTA-STS in enforce mode and blocklists stop mail outright; then SPF, DMARC, DKIM.
        DomainAuthenticationRule(DiagnosticCause.MtaStsInvalid),
        DomainAuthenticationRule(DiagnosticCause.Blocklisted),
        DomainAuthenticationRule(DiagnosticCause.SpfInvalid, r => r is AccountStateResult state && state.DomainSpfValid == false),
        DomainAuthenticationRule(DiagnosticCause.SpfMissing, r => r is AccountStateResult state && state.DomainSpfValid == false),
        DomainAuthenticationRule(DiagnosticCause.DmarcInvalid),
        DomainAuthenticationRule(DiagnosticCause.DmarcMissing),
        DomainAuthenticationRule(DiagnosticCause.DkimInvalid, ProviderDkimProblem),
        DomainAuthenticationRule(DiagnosticCause.DkimMissing, ProviderDkimProblem),
    };

    /// <summary>
    /// The checks of the domain's mail authentication: they say why its mail may be refused or filed
    /// as spam by others, not whether the mailbox logs in, sends and receives.
    /// </summary>
    public static bool IsDomainAuthentication(CheckResult result)
        => result is SpfCheckResult || result is DkimCheckResult || result is DmarcCheckResult
        || result is BlocklistCheckResult || result is MtaStsCheckResult;

    /// <summary>
    /// A cause of the domain's mail authentication, found by its own check; the check's remediation
    /// says what to publish. <paramref name="providerSays"/> picks the provider's own verdict on the
    /// same record (its API's spfIsValid, its DKIM state), shown as evidence beside ours.
    /// </summary>
    private static RootCauseRule DomainAuthenticationRule(DiagnosticCause cause, Func<CheckResult, bool>? providerSays = null)
        => new RootCauseRule(cause, r => IsDomainAuthentication(r) && Failing(cause)(r), r => IsDomainAuthentication(r) && Failing(cause)(r))
        {
            Supports = providerSays,
            RemediationFromEvidence = true,
            ForDomainAuthentication = true,
        };

    /// <summary>A cause the OAuth sign-in or Exchange Online's answer to a token names; the check's remediation says what to do.</summary>
    private static RootCauseRule SignInRule(DiagnosticCause cause, Func<CheckResult, bool>? explains = null)
        => new RootCauseRule(cause, Failing(cause), explains ?? (r => Failing(cause)(r) || LoginNotTried(r)))
        {
            RemediationFromEvidence = true,
        };

    /// <summary>The provider's DKIM state for the domain names a problem (any state but enabled or in production).</summary>
    private static bool ProviderDkimProblem(CheckResult result)
        => result is AccountStateResult state && state.DomainDkimState != null && !AccountStateResult.DkimStateIsWorking(state.DomainDkimState);

    /// <summary>True when the cause says the diagnosis could not be made from this computer.</summary>
    public static bool CannotDiagnose(DiagnosticCause cause) => Array.IndexOf(CannotDiagnoseCauses, cause) >= 0;

    /// <summary>The checks that send the mailbox's password.</summary>
    public static bool IsLogin(CheckResult result)
        => result is OwaLoginResult || result is EwsLoginResult || result is AutodiscoverResult
        || result is ImapLoginResult || result is SmtpSendResult || result is MailFlowResult;

    public static bool IsFailing(CheckResult result) => result.Status == CheckStatus.Failed || result.Status == CheckStatus.Error;

    private static Func<CheckResult, bool> Failing(params DiagnosticCause[] causes) => r => IsFailing(r) && Array.IndexOf(causes, r.Cause) >= 0;

    /// <summary>The MX host refused the mailbox as a recipient, with a reply that names this cause.</summary>
    private static bool InboundRefusedAs(CheckResult result, DiagnosticCause cause)
        => result is InboundSmtpResult inbound && IsFailing(inbound) && inbound.ServerReply != null && SmtpReplyClassifier.Classify(inbound.ServerReply) == cause;

    private static bool InboundFailing(CheckResult result) => result is InboundSmtpResult && IsFailing(result);

    private static bool IsDns(CheckResult result) => result is MxCheckResult || result is SrvCheckResult;

    /// <summary>
    /// No server could be reached because DNS could not say where any is: a connection or every
    /// Autodiscover candidate failed on a name DNS did not answer for, and no name resolved.
    /// </summary>
    private static bool NothingResolved(CheckResult result)
        => Failing(DiagnosticCause.Unreachable, DiagnosticCause.AutodiscoverFailed)(result)
        && result.Steps.Any(s => s.Status == CheckStatus.Error && IsDnsStep(s))
        && !result.Steps.Any(s => s.Status == CheckStatus.Passed && IsDnsStep(s));

    private static bool IsDnsStep(CheckStep step) => step.Name.StartsWith("DNS ", StringComparison.Ordinal);

    /// <summary>
    /// DNS answered, but every check that had to reach a server found none answering (Autodiscover
    /// failing proves no answer either), and they tried more than one host: not one server down.
    /// </summary>
    private static bool NoServerAnswered(IReadOnlyList<CheckResult> results)
    {
        List<CheckResult> connecting = results.Where(r => !IsDns(r) && !IsDomainAuthentication(r) && r.Status != CheckStatus.Skipped).ToList();
        bool anyAnswered = connecting.Any(r => r.Cause != DiagnosticCause.Unreachable && !(r is AutodiscoverResult && IsFailing(r)));
        int hosts = connecting.Where(r => r.Cause == DiagnosticCause.Unreachable).Select(r => HostOf(r.Target)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        return !anyAnswered && hosts >= 2 && results.Where(IsDns).All(r => !IsFailing(r));
    }

    /// <summary>The host a result's target names: a URL's host, "host:port" without the port, else the target itself.</summary>
    private static string HostOf(string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out Uri? url) && url.Host.Length > 0)
        {
            return url.Host;
        }

        int colon = target.LastIndexOf(':');
        return colon > 0 && target.IndexOf(':') == colon ? target.Substring(0, colon) : target;
    }

    private static bool LoginNotTried(CheckResult result) => result.SkipReason == SkipReason.CredentialRefused;

    /// <summary>What a fact about the account or its credentials accounts for: every refused or untried login, and what the logins could not send or receive.</summary>
    private static bool AccountWide(CheckResult result)
        => result.CredentialRefused || LoginNotTried(result)
        || Failing(
            DiagnosticCause.WebmailAuthFailed,
            DiagnosticCause.AuthenticationFailed,
            DiagnosticCause.SubscriptionExpired,
            DiagnosticCause.AccountLocked,
            DiagnosticCause.AccountDisabled,
            DiagnosticCause.ConditionalAccessBlocked,
            DiagnosticCause.MfaRequired,
            DiagnosticCause.PasswordExpired,
            DiagnosticCause.SendFailed,
            DiagnosticCause.ReceiveFailed)(result);
}
