using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Ovh;

/// <summary>
/// What the provider itself states about a mailbox: blocked for spam, subscription expired or
/// account suspended, locked by the security policy (only as its last diagnosis says: the account
/// has no such field), the lockout policy, and its view of the domain's MX and SRV records.
/// Only GET calls: it changes nothing and needs no mailbox password.
/// </summary>
public static class AccountStateCheck
{
    /// <summary>The most DKIM selectors of the provider's kept (it makes two, for key rotation).</summary>
    private const int MaxProviderSelectors = 4;

    public static Task<AccountStateResult> RunAsync(OvhClient client, string emailAddress, string? organization, string? service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = new AccountStateResult(emailAddress) { Expected = Texts.Ovh["AccountState_Expected"] };
        return CheckRunner.RunAsync(result, timeout, cancellationToken, async deadline =>
        {
            try
            {
                OvhExchangeLocation? location = await LocateAsync(client, result, organization, service, deadline).ConfigureAwait(false);
                if (location == null)
                {
                    return;
                }

                result.Organization = location.Organization;
                result.Service = location.Service;
                var verdict = new Verdict();
                await ReadAccountAsync(client, location, result, verdict, deadline).ConfigureAwait(false);
                OvhExchangeService exchangeService = await ReadServiceAsync(client, location, result, verdict, deadline).ConfigureAwait(false);
                await ReadDomainAsync(client, location, result, verdict, deadline).ConfigureAwait(false);
                await ReadLastDiagnosisAsync(client, location, exchangeService, result, verdict, deadline).ConfigureAwait(false);
                result.Observed = Texts.Ovh.Format("AccountState_Observed", result.AccountState ?? "?", OvhJson.Literal(result.SpamDetected), result.ServiceStatus ?? "?");
                verdict.ApplyTo(result, Texts.Ovh.Format("StatePassed", emailAddress, result.ServiceStatus ?? "?", result.AccountState ?? "?"));
            }
            catch (OvhApiException ex)
            {
                ConcludeApiFailure(result, ex);
            }
        }, (r, elapsed) => r.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, Texts.Ovh.Format("TimedOut", timeout.TotalSeconds), Texts.Ovh["ApiRetryRemediation"]));
    }

    /// <summary>The organization and service holding the result's mailbox; null after concluding the result when none does.</summary>
    internal static async Task<OvhExchangeLocation?> LocateAsync(OvhClient client, CheckResult result, string? organization, string? service, CancellationToken deadline)
    {
        OvhExchangeLocation? location = await client.FindAccountAsync(result.Target, organization, service, deadline).ConfigureAwait(false);
        if (location == null)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, Texts.Ovh.Format("AccountNotFound", result.Target), Texts.Ovh["AccountNotFoundRemediation"]);
            return null;
        }

        result.AddStep("Account location", CheckStatus.Passed, $"organization {location.Organization}, service {location.Service}");
        return location;
    }

    /// <summary>An API failure as the result's conclusion: Error with ProviderApiFailed, the call named, what to do.</summary>
    internal static void ConcludeApiFailure(CheckResult result, OvhApiException ex)
    {
        string remediation = ex.Failure switch
        {
            OvhFailure.CredentialsRefused => Texts.Ovh["ApiCredentialsRemediation"],
            OvhFailure.NotFound => Texts.Ovh["AccountNotFoundRemediation"],
            OvhFailure.Unreachable => Texts.Ovh["ApiUnreachableRemediation"],
            _ => Texts.Ovh["ApiRetryRemediation"],
        };
        result.AddStep(ex.Call, CheckStatus.Error, ex.Message);
        result.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, ex.Said.ToString(), remediation);
    }

    private static async Task ReadAccountAsync(OvhClient client, OvhExchangeLocation location, AccountStateResult result, Verdict verdict, CancellationToken deadline)
    {
        OvhExchangeAccount account = await client.GetAccountAsync(location, result.EmailAddress, deadline).ConfigureAwait(false);
        result.SpamDetected = account.SpamDetected;
        result.SpamTicketNumber = account.SpamTicketNumber;
        result.AccountState = account.State;
        result.Expiration = account.ExpirationDate;
        bool suspended = account.State == "suspended" || account.State == "suspending";
        result.AddStep("Account", account.SpamDetected == true || suspended ? CheckStatus.Failed : CheckStatus.Passed,
            $"state {account.State ?? "?"}, spamDetected {OvhJson.Literal(account.SpamDetected)}{(account.SpamTicketNumber == null ? string.Empty : $", spamTicketNumber {account.SpamTicketNumber}")}");

        if (account.SpamDetected == true)
        {
            if (account.SpamTicketNumber is long ticket)
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.AccountBlockedForSpam, Texts.Ovh.Format("SpamBlocked", result.EmailAddress, ticket), Texts.Ovh.Format("SpamRemediation", ticket));
            }
            else
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.AccountBlockedForSpam, Texts.Ovh.Format("SpamBlockedNoTicket", result.EmailAddress), Texts.Ovh["SpamRemediationNoTicket"]);
            }
        }

        if (suspended)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SubscriptionExpired, Texts.Ovh.Format("AccountSuspended", result.EmailAddress, account.State), Texts.Ovh["RenewRemediation"]);
        }
    }

    private static async Task<OvhExchangeService> ReadServiceAsync(OvhClient client, OvhExchangeLocation location, AccountStateResult result, Verdict verdict, CancellationToken deadline)
    {
        OvhExchangeService service = await client.GetServiceAsync(location, deadline).ConfigureAwait(false);
        result.LockoutThreshold = (int?)service.LockoutThreshold;
        result.LockoutDuration = Minutes(service.LockoutDuration);
        result.LockoutObservationWindow = Minutes(service.LockoutObservationWindow);
        result.AddStep("Service", service.State == "ok" ? CheckStatus.Passed : CheckStatus.Warning,
            $"state {service.State ?? "?"}, lockout after {Text(service.LockoutThreshold)} failed logins for {Text(service.LockoutDuration)} min (window {Text(service.LockoutObservationWindow)} min)");
        if (service.State == "suspended")
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SubscriptionExpired, Texts.Ovh.Format("ServiceSuspended", location.Service), Texts.Ovh["RenewRemediation"]);
        }
        else if (service.State == "inMaintenance")
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.PlatformIncident, Texts.Ovh.Format("ServiceMaintenance", location.Service), Texts.Ovh["MaintenanceRemediation"]);
        }

        XElement infos = await client.GetServiceInfosAsync(location, deadline).ConfigureAwait(false);
        result.ServiceStatus = infos.String("status");
        result.Expiration = infos.Date("expiration") ?? result.Expiration;
        string expiration = result.Expiration?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
        switch (result.ServiceStatus)
        {
            case "expired":
            case "unPaid":
                result.AddStep("Subscription", CheckStatus.Failed, $"status {result.ServiceStatus}, expiration {expiration}");
                verdict.Add(CheckStatus.Failed, DiagnosticCause.SubscriptionExpired, Texts.Ovh.Format("ServiceExpired", location.Service, result.ServiceStatus, expiration), Texts.Ovh["RenewRemediation"]);
                break;
            case "pendingDebt":
                result.AddStep("Subscription", CheckStatus.Warning, $"status {result.ServiceStatus}, expiration {expiration}");
                verdict.Add(CheckStatus.Warning, DiagnosticCause.SubscriptionExpired, Texts.Ovh.Format("ServicePendingDebt", location.Service), Texts.Ovh["RenewRemediation"]);
                break;
            default:
                result.AddStep("Subscription", CheckStatus.Passed, $"status {result.ServiceStatus ?? "?"}, expiration {expiration}");
                break;
        }

        return service;
    }

    private static async Task ReadDomainAsync(OvhClient client, OvhExchangeLocation location, AccountStateResult result, Verdict verdict, CancellationToken deadline)
    {
        string domain = result.EmailAddress.Substring(result.EmailAddress.LastIndexOf('@') + 1);
        XElement json;
        try
        {
            json = await client.GetDomainAsync(location, domain, deadline).ConfigureAwait(false);
        }
        catch (OvhApiException ex) when (ex.Failure == OvhFailure.NotFound)
        {
            result.AddStep("Domain", CheckStatus.Warning, $"{domain} is not a domain of the service {location.Service}");
            return;
        }

        result.DomainMxValid = json.Bool("mxIsValid");
        result.DomainSrvValid = json.Bool("srvIsValid");
        result.DomainSpfValid = json.Bool("spfIsValid");
        XElement? dkim = json.Member("dkimDiagnostics");
        result.DomainDkimState = dkim?.String("state");
        bool dkimProblem = result.DomainDkimState != null && !AccountStateResult.DkimStateIsWorking(result.DomainDkimState);
        bool anyProblem = result.DomainMxValid == false || result.DomainSrvValid == false || result.DomainSpfValid == false || dkimProblem;
        string dkimMessage = dkim?.String("message") is string said && said.Length > 0 ? $" ({ServerText.Printable(said, 300)})" : string.Empty;
        result.AddStep("Domain", anyProblem ? CheckStatus.Warning : CheckStatus.Passed,
            $"{domain}: mxIsValid {OvhJson.Literal(result.DomainMxValid)}, srvIsValid {OvhJson.Literal(result.DomainSrvValid)}, "
            + $"spfIsValid {OvhJson.Literal(result.DomainSpfValid)}, DKIM state {result.DomainDkimState ?? "?"}{dkimMessage}");

        // Our own DNS checks are the authority on records; the provider's view is a second opinion.
        if (result.DomainMxValid == false)
        {
            string expected = json.Member("expectedMX") is XElement mx ? string.Join(", ", mx.Strings()) : "?";
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, Texts.Ovh.Format("DomainMxInvalid", domain, expected), Texts.Ovh["DomainRemediation"]);
        }

        if (result.DomainSrvValid == false)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid, Texts.Ovh.Format("DomainSrvInvalid", domain, json.String("expectedAutodiscoverSRV") ?? "?"), Texts.Ovh["DomainRemediation"]);
        }

        await ReadDkimSelectorsAsync(client, location, domain, result, deadline).ConfigureAwait(false);

        if (result.DomainSpfValid == false)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SpfInvalid, Texts.Ovh.Format("DomainSpfInvalid", domain, ServerText.Printable(json.String("expectedSPF") ?? "?", 300)), Texts.Ovh["DomainRemediation"]);
        }

        if (dkimProblem)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.DkimMissing, Texts.Ovh.Format("DomainDkimState", domain, ServerText.Printable(result.DomainDkimState!, 80) + dkimMessage), Texts.Ovh["DomainDkimRemediation"]);
        }
    }

    /// <summary>
    /// The selectors the provider signs with, which no guess finds (ovhex&lt;N&gt;-selector1), for the
    /// DKIM check. A convenience only: the API failing here costs the account state nothing.
    /// </summary>
    private static async Task ReadDkimSelectorsAsync(OvhClient client, OvhExchangeLocation location, string domain, AccountStateResult result, CancellationToken deadline)
    {
        try
        {
            IReadOnlyList<string> selectors = await client.GetDkimSelectorsAsync(location, domain, deadline).ConfigureAwait(false);
            result.DomainDkimSelectors = new SummaryList<string>(selectors.Select(DomainAuth.DkimCheck.TryNormalizeSelector).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxProviderSelectors));
            result.AddStep("DKIM selectors", CheckStatus.Passed, result.DomainDkimSelectors.Count == 0 ? "the provider has no DKIM selector for the domain" : string.Join(", ", result.DomainDkimSelectors));
        }
        catch (OvhApiException ex)
        {
            result.AddStep("DKIM selectors", CheckStatus.Warning, $"unknown: {ex.Message}");
        }
    }

    /// <summary>A lock shows only in the provider's diagnosis; a lock older than the lockout duration has likely ended.</summary>
    private static async Task ReadLastDiagnosisAsync(OvhClient client, OvhExchangeLocation location, OvhExchangeService service, AccountStateResult result, Verdict verdict, CancellationToken deadline)
    {
        XElement? diagnosis = await client.GetDiagnosisAsync(location, result.EmailAddress, deadline).ConfigureAwait(false);
        if (diagnosis == null)
        {
            result.AddStep("Last diagnosis", CheckStatus.Passed, "the provider has no diagnosis of this account");
            return;
        }

        result.LockedByProvider = diagnosis.Bool("isLocked");
        result.LastDiagnosis = diagnosis.Date("lastCheck");
        string when = result.LastDiagnosis?.ToString("u", CultureInfo.InvariantCulture) ?? "?";
        if (result.LockedByProvider != true)
        {
            result.AddStep("Last diagnosis", CheckStatus.Passed, $"{when}: isLocked {OvhJson.Literal(result.LockedByProvider)}");
            return;
        }

        long minutes = service.LockoutDuration ?? 0;
        bool mayHaveEnded = result.LastDiagnosis is DateTimeOffset at && minutes > 0 && at.AddMinutes(minutes) < DateTimeOffset.UtcNow;
        result.AddStep("Last diagnosis", mayHaveEnded ? CheckStatus.Warning : CheckStatus.Failed, $"{when}: isLocked true");
        verdict.Add(
            mayHaveEnded ? CheckStatus.Warning : CheckStatus.Failed,
            DiagnosticCause.AccountLocked,
            Texts.Ovh.Format(mayHaveEnded ? "LockedEarlier" : "Locked", result.EmailAddress, when, Text(service.LockoutThreshold), minutes),
            Texts.Ovh.Format("LockedRemediation", minutes));
    }

    private static TimeSpan? Minutes(long? minutes) => minutes is long m ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
