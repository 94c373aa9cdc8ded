using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;

namespace ExchangeDiag.DomainAuth;

/// <summary>
/// Checks a domain's MTA-STS (RFC 8461): the _mta-sts TXT record, the policy served at
/// https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt, its mx patterns against the domain's MX
/// hosts, and the TLS-RPT record (RFC 8460) that reports what the policy makes fail.
/// </summary>
public static class MtaStsCheck
{
    /// <summary>The largest policy file read; the RFC expects a few hundred bytes (§3.2 suggests a small limit).</summary>
    internal const int MaxPolicyLength = 64 * 1024;

    /// <summary>Under a day of max_age, a policy protects little (§3.2 recommends weeks).</summary>
    internal const long ShortMaxAge = 86400;

    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    /// <param name="http">
    /// The session that fetches the policy. Its certificate validation is not relaxed for this
    /// check: a session made with -SkipCertificateCheck still sees a bad certificate counted as a
    /// policy senders cannot fetch, since senders never skip the check (§3.3).
    /// </param>
    public static Task<MtaStsCheckResult> RunAsync(string domain, HttpSession http, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new MtaStsCheckResult(domain) { Expected = "none, or one valid _mta-sts record and a policy whose mx patterns match every MX host" };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            Task<DnsQuerier.AliasedLookup> stsTask = dns.QueryThroughAliasesAsync("_mta-sts." + domain, QueryType.TXT, deadline);
            Task<DnsLookup> mxTask = dns.QueryAsync(domain, QueryType.MX, deadline);
            Task<DnsQuerier.AliasedLookup> rptTask = dns.QueryThroughAliasesAsync("_smtp._tls." + domain, QueryType.TXT, deadline);

            DnsLookup stsLookup = (await stsTask.ConfigureAwait(false)).Last;
            if (!await DnsCheck.RecordAsync(result, "MTA-STS record lookup", stsLookup, dns, deadline, DiagnosticCause.MtaStsInvalid).ConfigureAwait(false))
            {
                return;
            }

            DnsLookup mxLookup = await mxTask.ConfigureAwait(false);
            if (!await DnsCheck.RecordAsync(result, "MX lookup", mxLookup, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            if (mxLookup.Outcome == DnsOutcome.NameError)
            {
                result.Observed = "NXDOMAIN";
                DnsCheck.ConcludeDomainNotFound(result, domain);
                return;
            }

            DnsLookup rptLookup = (await rptTask.ConfigureAwait(false)).Last;
            if (!await DnsCheck.RecordAsync(result, "TLS-RPT record lookup", rptLookup, dns, deadline, DiagnosticCause.MtaStsInvalid).ConfigureAwait(false))
            {
                return;
            }

            List<string> stsRecords = DnsCheck.TxtRecords(stsLookup).Where(MtaStsRecord.IsStsRecord).ToList();
            List<string> rptRecords = DnsCheck.TxtRecords(rptLookup).Where(TlsRptRecord.IsTlsRptRecord).ToList();
            List<string> mxHosts = mxLookup.Answers.OfType<MxRecord>()
                .OrderBy(r => r.Preference)
                .Select(r => DomainName.Canonical(r.Exchange.Value))
                .Where(h => h != ".")
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            result.MxHosts = new SummaryList<string>(mxHosts);

            PolicyFetch fetch = await FetchPolicyAsync(result, domain, http, timeout, deadline, stop).ConfigureAwait(false);
            var facts = new MtaStsFacts(domain, stsRecords, fetch, mxHosts, rptRecords);
            Verdict verdict = Evaluate(result, facts);
            verdict.ApplyTo(result, PassMessage(result, facts));
        });
    }

    /// <summary>GET the policy: strict TLS, no redirect, 200 and text/plain only, 64 KiB at most, within the deadline.</summary>
    private static async Task<PolicyFetch> FetchPolicyAsync(MtaStsCheckResult result, string domain, HttpSession http, TimeSpan timeout, CancellationToken deadline, CancellationToken stop)
    {
        var url = new Uri($"https://mta-sts.{domain}/.well-known/mta-sts.txt");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpExchange exchange = await http.SendAsync(request, result, deadline).ConfigureAwait(false);
            string? certificateProblem = exchange.Certificate?.Problem(CultureInfo.CurrentUICulture);
            if (exchange.Failure == HttpFailure.CertificateRejected || certificateProblem != null)
            {
                return PolicyFetch.Failed("certificate", Texts.MtaSts.Format("Fetch_Certificate", domain, certificateProblem ?? exchange.Detail));
            }

            if (exchange.Failure == HttpFailure.NameNotResolved)
            {
                return PolicyFetch.Failed("name", Texts.MtaSts.Format("Fetch_NameNotResolved", domain));
            }

            if (exchange.Failure != HttpFailure.None)
            {
                return PolicyFetch.Failed("connection", Texts.MtaSts.Format("Fetch_NoAnswer", ServerText.Printable(exchange.Detail, 200)));
            }

            int status = exchange.StatusCode;
            if (status >= 300 && status < 400)
            {
                string location = ServerText.Printable(exchange.Response!.Headers.Location?.OriginalString ?? "?", 200);
                return PolicyFetch.Failed("redirect", Texts.MtaSts.Format("Fetch_Redirect", status, location));
            }

            if (status != 200)
            {
                return PolicyFetch.Failed("status", Texts.MtaSts.Format("Fetch_Status", status));
            }

            string? mediaType = exchange.Response!.Content.Headers.ContentType?.MediaType;
            if (!string.Equals(mediaType, "text/plain", StringComparison.OrdinalIgnoreCase))
            {
                string shown = mediaType == null ? "(none)" : ServerText.Printable(mediaType, 100);
                result.AddStep("Policy", CheckStatus.Failed, $"Content-Type {shown}, not text/plain (RFC 8461 §3.2)");
                return PolicyFetch.Failed("contentType", Texts.MtaSts.Format("Fetch_ContentType", shown));
            }

            string text;
            try
            {
                text = await exchange.ReadTextAsync(MaxPolicyLength).ConfigureAwait(false);
            }
            catch (AnswerTooLongException ex)
            {
                result.AddStep("Policy", CheckStatus.Failed, ex.Message);
                return PolicyFetch.Failed("size", Texts.MtaSts.Format("Fetch_TooLong", MaxPolicyLength / 1024));
            }

            result.Policy = ServerText.Printable(text, 2048);
            MtaStsPolicy policy = MtaStsPolicy.Parse(text);
            result.AddStep("Policy", policy.IsValid ? CheckStatus.Passed : CheckStatus.Failed, policy.IsValid
                ? $"mode {policy.Mode.ToString().ToLowerInvariant()}, max_age {policy.MaxAge}, mx {string.Join(", ", policy.Mx)}"
                : "not a valid policy: " + string.Join("; ", policy.Errors));
            foreach (string warning in policy.Warnings)
            {
                result.AddStep("Policy", CheckStatus.Warning, warning);
            }

            return policy.IsValid
                ? PolicyFetch.Succeeded(policy)
                : PolicyFetch.Failed("syntax", Texts.MtaSts.Format("Fetch_Invalid", string.Join("; ", policy.Errors)), policy);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // The check's deadline passed during the fetch: DNS had answered, so the policy server is what did not.
            return PolicyFetch.Failed("timeout", Texts.MtaSts.Format("Fetch_TimedOut", timeout.TotalSeconds));
        }
    }

    /// <summary>The rules, apart from the network: what the record, the policy, the MX hosts and TLS-RPT add up to.</summary>
    internal static Verdict Evaluate(MtaStsCheckResult result, MtaStsFacts facts)
    {
        var verdict = new Verdict();
        string domain = facts.Domain;
        result.Record = facts.StsRecords.Count == 0 ? null : ServerText.Printable(facts.StsRecords[0], 512);
        MtaStsPolicy? policy = facts.Fetch.Policy;
        if (policy != null)
        {
            result.Mode = policy.Mode;
            result.MaxAge = policy.MaxAge;
            result.MxPatterns = new SummaryList<string>(policy.Mx);
            result.UnmatchedMx = new SummaryList<string>(facts.MxHosts.Where(h => !policy.Mx.Any(p => MtaStsPolicy.Matches(p, h))));
        }

        bool inForce = false;
        if (facts.StsRecords.Count == 0)
        {
            result.AddStep("MTA-STS record", CheckStatus.Passed, $"no TXT record starting with v=STSv1 at _mta-sts.{domain}");
            if (facts.Fetch.Policy != null && facts.Fetch.Policy.IsValid)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                    Texts.MtaSts.Format("PolicyWithoutRecord", domain), Texts.MtaSts.Format("PolicyWithoutRecord_Remediation", domain));
            }
            else
            {
                result.AddStep("MTA-STS", CheckStatus.Passed, $"not published: no _mta-sts record and no usable policy ({facts.Fetch.Kind}); MTA-STS is optional (RFC 8461)");
            }
        }
        else if (facts.StsRecords.Count > 1)
        {
            result.AddStep("MTA-STS record", CheckStatus.Failed, $"{facts.StsRecords.Count} records start with v=STSv1: senders ignore MTA-STS (RFC 8461 §3.1)");
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("MultipleRecords", domain, facts.StsRecords.Count), Texts.MtaSts.Format("Record_Remediation", domain));
        }
        else
        {
            MtaStsRecord record = MtaStsRecord.Parse(facts.StsRecords[0]);
            result.PolicyId = record.Id;
            if (!record.IsValid)
            {
                string errors = string.Join("; ", record.Errors);
                result.AddStep("MTA-STS record", CheckStatus.Failed, errors);
                verdict.Add(CheckStatus.Failed, DiagnosticCause.MtaStsInvalid,
                    Texts.MtaSts.Format("RecordInvalid", domain, errors), Texts.MtaSts.Format("Record_Remediation", domain));
            }
            else
            {
                result.AddStep("MTA-STS record", CheckStatus.Passed, $"id {record.Id}");
                inForce = EvaluatePolicy(verdict, result, facts);
            }
        }

        EvaluateTlsRpt(verdict, result, facts, inForce);
        result.Observed = Observed(result, facts);
        return verdict;
    }

    /// <summary>The policy a valid record announces; true when senders apply it (enforce or testing).</summary>
    private static bool EvaluatePolicy(Verdict verdict, MtaStsCheckResult result, MtaStsFacts facts)
    {
        string domain = facts.Domain;
        MtaStsPolicy? policy = facts.Fetch.Policy;
        if (policy == null || !policy.IsValid)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("PolicyUnavailable", domain, facts.Fetch.Problem), Texts.MtaSts.Format("PolicyUnavailable_Remediation", domain));
            return false;
        }

        if (policy.Mode == MtaStsMode.None)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("ModeNone", domain), Texts.MtaSts.Format("ModeNone_Remediation", domain));
            return false;
        }

        if (facts.MxHosts.Count == 0)
        {
            result.AddStep("MX match", CheckStatus.Warning, "the domain has no MX host to match against the policy");
        }

        foreach (string host in facts.MxHosts)
        {
            string? pattern = policy.Mx.FirstOrDefault(p => MtaStsPolicy.Matches(p, host));
            result.AddStep($"MX {host}", pattern == null ? (policy.Mode == MtaStsMode.Enforce ? CheckStatus.Failed : CheckStatus.Warning) : CheckStatus.Passed,
                pattern == null ? "no mx pattern of the policy matches" : $"matches mx: {pattern}");
        }

        if (result.UnmatchedMx.Count > 0)
        {
            string patterns = string.Join(", ", policy.Mx);
            string hosts = string.Join(", ", result.UnmatchedMx);
            string remediation = Texts.MtaSts.Format("Mismatch_Remediation", domain, result.UnmatchedMx[0]);
            if (policy.Mode == MtaStsMode.Enforce)
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.MtaStsInvalid, Texts.MtaSts.Format("Mismatch_Enforce", domain, patterns, hosts), remediation);
            }
            else
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid, Texts.MtaSts.Format("Mismatch_Testing", domain, patterns, hosts), remediation);
            }
        }

        if (policy.MaxAge < ShortMaxAge)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("ShortMaxAge", domain, policy.MaxAge), Texts.MtaSts["ShortMaxAge_Remediation"]);
        }

        if (policy.Warnings.Count > 0)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("PolicyFlaws", domain, string.Join("; ", policy.Warnings)), Texts.MtaSts.Format("PolicyFlaws_Remediation", domain));
        }

        return true;
    }

    private static void EvaluateTlsRpt(Verdict verdict, MtaStsCheckResult result, MtaStsFacts facts, bool inForce)
    {
        string domain = facts.Domain;
        string remediation = Texts.MtaSts.Format("TlsRpt_Remediation", domain);
        if (facts.TlsRptRecords.Count == 0)
        {
            result.AddStep("TLS-RPT record", inForce ? CheckStatus.Warning : CheckStatus.Passed, $"no TXT record starting with v=TLSRPTv1 at _smtp._tls.{domain}");
            if (inForce)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                    Texts.MtaSts.Format("TlsRptMissing", domain, result.Mode.ToString().ToLowerInvariant()), remediation);
            }

            return;
        }

        result.TlsRptRecord = ServerText.Printable(facts.TlsRptRecords[0], 512);
        if (facts.TlsRptRecords.Count > 1)
        {
            result.AddStep("TLS-RPT record", CheckStatus.Warning, $"{facts.TlsRptRecords.Count} records start with v=TLSRPTv1: senders send no report (RFC 8460 §3)");
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                Texts.MtaSts.Format("TlsRptMultiple", domain, facts.TlsRptRecords.Count), remediation);
            return;
        }

        TlsRptRecord record = TlsRptRecord.Parse(facts.TlsRptRecords[0]);
        result.TlsRptDestinations = new SummaryList<string>(record.Destinations.Select(d => ServerText.Printable(d, 256)));
        if (record.IsValid)
        {
            result.AddStep("TLS-RPT record", CheckStatus.Passed, "reports go to " + string.Join(", ", result.TlsRptDestinations));
            return;
        }

        string errors = string.Join("; ", record.Errors);
        result.AddStep("TLS-RPT record", CheckStatus.Warning, errors);
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid, Texts.MtaSts.Format("TlsRptInvalid", domain, errors), remediation);
    }

    /// <summary>What was found, in one English line for tables and CSV.</summary>
    private static string Observed(MtaStsCheckResult result, MtaStsFacts facts)
    {
        string record = facts.StsRecords.Count switch
        {
            0 => "no _mta-sts record",
            1 => result.PolicyId == null ? "an invalid _mta-sts record" : $"record id {result.PolicyId}",
            _ => $"{facts.StsRecords.Count} _mta-sts records",
        };
        string policy = facts.Fetch.Policy?.IsValid == true
            ? $"policy mode {result.Mode.ToString().ToLowerInvariant()}, max_age {result.MaxAge}, mx {string.Join(", ", result.MxPatterns)}"
            : $"no usable policy ({facts.Fetch.Kind})";
        string mx = result.MxHosts.Count == 0 ? "no MX host" : "MX " + string.Join(", ", result.MxHosts);
        return $"{record}; {policy}; {mx}; {(facts.TlsRptRecords.Count == 0 ? "no TLS-RPT record" : "TLS-RPT record")}";
    }

    internal static string PassMessage(MtaStsCheckResult result, MtaStsFacts facts)
    {
        if (facts.StsRecords.Count == 0)
        {
            return Texts.MtaSts.Format("NotPublished", facts.Domain);
        }

        string mode = result.Mode.ToString().ToLowerInvariant();
        return result.MxHosts.Count == 0
            ? Texts.MtaSts.Format("Passed_NoMx", facts.Domain, mode, result.PolicyId)
            : Texts.MtaSts.Format("Passed", facts.Domain, mode, result.PolicyId, string.Join(", ", result.MxHosts));
    }
}

/// <summary>What came of fetching the policy file.</summary>
internal sealed class PolicyFetch
{
    private PolicyFetch(string kind, string? problem, MtaStsPolicy? policy)
    {
        Kind = kind;
        Problem = problem;
        Policy = policy;
    }

    /// <summary>"ok", or a short English word for what failed (for the trace).</summary>
    public string Kind { get; }

    /// <summary>What failed, in the UI culture, to go into the Message; null when the policy was read.</summary>
    public string? Problem { get; }

    /// <summary>The parsed policy, valid or not; null when none was read.</summary>
    public MtaStsPolicy? Policy { get; }

    public static PolicyFetch Succeeded(MtaStsPolicy policy) => new PolicyFetch("ok", null, policy);

    public static PolicyFetch Failed(string kind, string problem, MtaStsPolicy? policy = null) => new PolicyFetch(kind, problem, policy);
}

/// <summary>Everything the rules weigh, gathered from DNS and HTTPS.</summary>
internal sealed class MtaStsFacts
{
    public MtaStsFacts(string domain, IReadOnlyList<string> stsRecords, PolicyFetch fetch, IReadOnlyList<string> mxHosts, IReadOnlyList<string> tlsRptRecords)
    {
        Domain = domain;
        StsRecords = stsRecords;
        Fetch = fetch;
        MxHosts = mxHosts;
        TlsRptRecords = tlsRptRecords;
    }

    public string Domain { get; }

    /// <summary>The TXT records at _mta-sts that begin with v=STSv1.</summary>
    public IReadOnlyList<string> StsRecords { get; }

    public PolicyFetch Fetch { get; }

    public IReadOnlyList<string> MxHosts { get; }

    /// <summary>The TXT records at _smtp._tls that begin with v=TLSRPTv1.</summary>
    public IReadOnlyList<string> TlsRptRecords { get; }
}
