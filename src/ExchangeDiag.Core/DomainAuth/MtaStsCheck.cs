using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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

    /// <summary>The most names or patterns listed in a message or step; the rest are counted.</summary>
    internal const int MaxListed = 5;

    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    /// <param name="http">
    /// The session that fetches the policy. Its certificate validation is not relaxed for this
    /// check: a session made with -SkipCertificateCheck still sees a bad certificate counted as a
    /// policy senders cannot fetch, since senders never skip the check (§3.3).
    /// </param>
    public static Task<MtaStsCheckResult> RunAsync(string domain, HttpSession http, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new MtaStsCheckResult(domain) { Expected = Texts.MtaSts["Expected"] };
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
            if (!await DnsCheck.DomainRecordAsync(result, "MX lookup", domain, mxLookup, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            // TLS-RPT is a second question: DNS failing for _smtp._tls leaves it unknown, as a Warning,
            // and keeps the MTA-STS verdict. Only a record no resolver can use (an endless CNAME chain)
            // is the domain's fault and concludes the check, as RecordAsync does.
            DnsLookup rptLookup = (await rptTask.ConfigureAwait(false)).Last;
            string? rptUnknown = null;
            if (rptLookup.IsUnavailable && rptLookup.Outcome != DnsOutcome.InvalidRecord)
            {
                rptUnknown = ServerText.Printable(rptLookup.ToString(), 300);
                result.AddStep("TLS-RPT record lookup", CheckStatus.Warning, rptUnknown, rptLookup.Duration);
            }
            else if (!await DnsCheck.RecordAsync(result, "TLS-RPT record lookup", rptLookup, dns, deadline, DiagnosticCause.MtaStsInvalid).ConfigureAwait(false))
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

            // Senders fetch the policy only for one valid v=STSv1 record (RFC 8461 §3.3): without one, the
            // host mta-sts.<domain> is not contacted at all (a wildcard A record would otherwise make this
            // check call an unrelated web server for every domain, and maybe wait for it until the deadline).
            PolicyFetch fetch = ShouldFetch(stsRecords)
                ? await FetchPolicyAsync(result, domain, http, timeout, deadline, stop).ConfigureAwait(false)
                : PolicyFetch.NotFetched;
            var facts = new MtaStsFacts(domain, stsRecords, fetch, mxHosts, rptRecords, rptUnknown);
            Verdict verdict = Evaluate(result, facts);
            verdict.ApplyTo(result, PassMessage(result, facts));
        });
    }

    /// <summary>True when senders would fetch the policy: exactly one v=STSv1 record, and a valid one.</summary>
    internal static bool ShouldFetch(IReadOnlyList<string> stsRecords)
        => stsRecords.Count == 1 && MtaStsRecord.Parse(stsRecords[0]).IsValid;

    /// <summary>GET the policy: strict TLS, no redirect, 200 and text/plain only, 64 KiB at most, within the deadline.</summary>
    private static async Task<PolicyFetch> FetchPolicyAsync(MtaStsCheckResult result, string domain, HttpSession http, TimeSpan timeout, CancellationToken deadline, CancellationToken stop)
    {
        var url = new Uri($"https://mta-sts.{domain}/.well-known/mta-sts.txt");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpExchange exchange = await http.SendAsync(request, result, deadline).ConfigureAwait(false);
            PolicyFetch? refused = Classify(result, domain, exchange);
            if (refused != null)
            {
                return refused;
            }

            return await ReadPolicyAsync(result, () => exchange.ReadTextAsync(MaxPolicyLength), timeout, deadline, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            // The check's deadline passed during the fetch: the policy host did not answer in time from
            // here, which says nothing sure about the domain (a slow path, a firewall on this side).
            return PolicyFetch.Unreachable("timeout", Texts.MtaSts.Format("Fetch_TimedOut", timeout.TotalSeconds));
        }
    }

    /// <summary>
    /// What the response's headers already decide: null when the body is to be read. Certificate,
    /// redirect, status, content type and a name that does not exist are the domain's (Failed); a name
    /// DNS could not resolve is unknown (Error); a connection that could not be made is Unreachable.
    /// </summary>
    internal static PolicyFetch? Classify(MtaStsCheckResult result, string domain, HttpExchange exchange)
    {
        string? certificateProblem = exchange.Certificate?.Problem(CultureInfo.CurrentUICulture);
        if (exchange.Failure == HttpFailure.CertificateRejected || certificateProblem != null)
        {
            return PolicyFetch.Failed("certificate", Texts.MtaSts.Format("Fetch_Certificate", domain, ServerText.Printable(certificateProblem ?? exchange.Said.ToString(), 300)));
        }

        if (exchange.Failure == HttpFailure.NameNotResolved)
        {
            return exchange.NameUnknown
                ? PolicyFetch.NameUnknown("name unknown", ServerText.Printable(exchange.Said.ToString(), 200))
                : PolicyFetch.Failed("name", Texts.MtaSts.Format("Fetch_NameNotResolved", domain));
        }

        if (exchange.Failure == HttpFailure.ConnectFailed)
        {
            return PolicyFetch.Unreachable("connection", Texts.MtaSts.Format("Fetch_NoAnswer", ServerText.Printable(exchange.Said.ToString(), 200)));
        }

        if (exchange.Failure != HttpFailure.None)
        {
            // Connected, then TLS or HTTP broke: the server answered, wrongly.
            return PolicyFetch.Failed("protocol", Texts.MtaSts.Format("Fetch_NoAnswer", ServerText.Printable(exchange.Said.ToString(), 200)));
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

        return null;
    }

    /// <summary>
    /// Reads the body through <paramref name="read"/> and parses it. A body over 64 KiB, or a connection
    /// that breaks while it is read (reset, truncated chunk: IOException, HttpIOException,
    /// HttpRequestException), is a policy senders cannot fetch either, never an exception out of the check;
    /// the deadline passing is a timeout; Ctrl+C still cancels.
    /// </summary>
    internal static async Task<PolicyFetch> ReadPolicyAsync(MtaStsCheckResult result, Func<Task<string>> read, TimeSpan timeout, CancellationToken deadline, CancellationToken stop)
    {
        string text;
        try
        {
            text = await read().ConfigureAwait(false);
        }
        catch (AnswerTooLongException ex)
        {
            result.AddStep("Policy", CheckStatus.Failed, ex.Message);
            return PolicyFetch.Failed("size", Texts.MtaSts.Format("Fetch_TooLong", MaxPolicyLength / 1024));
        }
        catch (Exception ex) when ((ex is IOException || ex is HttpRequestException) && !stop.IsCancellationRequested)
        {
            if (deadline.IsCancellationRequested)
            {
                return PolicyFetch.Unreachable("timeout", Texts.MtaSts.Format("Fetch_TimedOut", timeout.TotalSeconds));
            }

            string detail = ServerText.Printable(ex.Message, 200);
            result.AddStep("Policy", CheckStatus.Failed, $"the connection broke while the body was read: {ex.GetType().Name}: {detail}");
            return PolicyFetch.Failed("read", Texts.MtaSts.Format("Fetch_ReadFailed", detail));
        }

        return ReadPolicy(result, text);
    }

    /// <summary>Parses the policy text and records it: one step for the policy, one for all its flaws.</summary>
    internal static PolicyFetch ReadPolicy(MtaStsCheckResult result, string text)
    {
        result.Policy = ServerText.Printable(text, 2048);
        MtaStsPolicy policy = MtaStsPolicy.Parse(text);
        result.AddStep("Policy", policy.IsValid ? CheckStatus.Passed : CheckStatus.Failed, policy.IsValid
            ? $"mode {policy.Mode.ToString().ToLowerInvariant()}, max_age {policy.MaxAge}, mx {Listed(policy.Mx)}"
            : $"not a valid policy ({Count(policy.Errors.Total, "error")}): {policy.Errors}");
        if (policy.Warnings.Total > 0)
        {
            result.AddStep("Policy", CheckStatus.Warning, $"{Count(policy.Warnings.Total, "flaw")}: {policy.Warnings}");
        }

        return policy.IsValid
            ? PolicyFetch.Succeeded(policy)
            : PolicyFetch.Failed("syntax", Texts.MtaSts.Format("Fetch_Invalid", policy.Errors.ToString()), policy);
    }

    /// <summary>The first <see cref="MaxListed"/> items joined with ", ", and "and N more" for the others.</summary>
    internal static string Listed(IEnumerable<string> items)
    {
        var shown = new List<string>(MaxListed);
        int total = 0;
        foreach (string item in items)
        {
            if (++total <= MaxListed)
            {
                shown.Add(ServerText.Printable(item, 256));
            }
        }

        return total <= MaxListed ? string.Join(", ", shown) : $"{string.Join(", ", shown)} and {total - MaxListed} more";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

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
            result.AddStep("MTA-STS", CheckStatus.Passed, $"not published: without an _mta-sts record senders never fetch a policy, and neither does this check; MTA-STS is optional (RFC 8461)");
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
                string errors = record.Errors.ToString();
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
            switch (facts.Fetch.Outcome)
            {
                case FetchOutcome.NameUnknown:
                    // DNS could not say where the policy host is: could not tell, as for the domain's own records.
                    verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                        Texts.MtaSts.Format("PolicyNameUnknown", domain, facts.Fetch.Problem), Texts.MtaSts.Format("PolicyNameUnknown_Remediation", domain));
                    break;
                case FetchOutcome.Unreachable:
                    // No connection, or no answer in time, from this computer: not proof that senders cannot
                    // fetch the policy. A Warning, never Unreachable (the diagnosis reads that as a server down).
                    verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid,
                        Texts.MtaSts.Format("PolicyUnreachable", domain, facts.Fetch.Problem), Texts.MtaSts.Format("PolicyUnreachable_Remediation", domain));
                    break;
                default:
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.MtaStsInvalid,
                        Texts.MtaSts.Format("PolicyUnavailable", domain, facts.Fetch.Problem), Texts.MtaSts.Format("PolicyUnavailable_Remediation", domain));
                    break;
            }

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
            string patterns = Listed(policy.Mx);
            string hosts = Listed(result.UnmatchedMx);
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
                Texts.MtaSts.Format("PolicyFlaws", domain, policy.Warnings.ToString()), Texts.MtaSts.Format("PolicyFlaws_Remediation", domain));
        }

        return true;
    }

    private static void EvaluateTlsRpt(Verdict verdict, MtaStsCheckResult result, MtaStsFacts facts, bool inForce)
    {
        string domain = facts.Domain;
        string remediation = Texts.MtaSts.Format("TlsRpt_Remediation", domain);
        if (facts.TlsRptUnknown != null)
        {
            // Recorded as unknown beside the MTA-STS verdict: a known MTA-STS fault still concludes the check.
            verdict.Add(CheckStatus.Warning, DiagnosticCause.DnsUnavailable,
                Texts.MtaSts.Format("TlsRptUnknown", domain, facts.TlsRptUnknown), Texts.MtaSts.Format("TlsRptUnknown_Remediation", domain));
            return;
        }

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
        if (record.DestinationsCut)
        {
            result.AddStep("TLS-RPT record", CheckStatus.Warning, $"rua= lists more than {TlsRptRecord.MaxDestinations} URIs; only the first {TlsRptRecord.MaxDestinations} were read");
        }

        if (record.IsValid)
        {
            result.AddStep("TLS-RPT record", CheckStatus.Passed, "reports go to " + Listed(result.TlsRptDestinations));
            return;
        }

        string errors = record.Errors.ToString();
        result.AddStep("TLS-RPT record", CheckStatus.Warning, errors);
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MtaStsInvalid, Texts.MtaSts.Format("TlsRptInvalid", domain, errors), remediation);
    }

    /// <summary>What was found, in one English line for tables and CSV.</summary>
    private static string Observed(MtaStsCheckResult result, MtaStsFacts facts)
    {
        string record = facts.StsRecords.Count switch
        {
            0 => Texts.MtaSts["Observed_NoRecord"],
            1 => result.PolicyId == null ? Texts.MtaSts["Observed_InvalidRecord"] : Texts.MtaSts.Format("Observed_RecordId", result.PolicyId),
            _ => Texts.MtaSts.Format("Observed_Records", facts.StsRecords.Count),
        };
        string policy = facts.Fetch.Policy?.IsValid == true
            ? Texts.MtaSts.Format("Observed_Policy", result.Mode.ToString().ToLowerInvariant(), result.MaxAge, Listed(result.MxPatterns))
            : facts.Fetch.Outcome == FetchOutcome.NotFetched ? Texts.MtaSts["Observed_NotFetched"] : Texts.MtaSts.Format("Observed_NoPolicy", facts.Fetch.Kind);
        string mx = result.MxHosts.Count == 0 ? Texts.MtaSts["Observed_NoMx"] : Texts.MtaSts.Format("Observed_Mx", Listed(result.MxHosts));
        string rpt = facts.TlsRptUnknown != null ? Texts.MtaSts["Observed_RptUnknown"] : facts.TlsRptRecords.Count == 0 ? Texts.MtaSts["Observed_NoRpt"] : Texts.MtaSts["Observed_Rpt"];
        return Texts.MtaSts.Format("Observed", record, policy, mx, rpt);
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
            : Texts.MtaSts.Format("Passed", facts.Domain, mode, result.PolicyId, Listed(result.MxHosts));
    }
}

/// <summary>How fetching the policy ended, which decides whose fault a missing policy is.</summary>
internal enum FetchOutcome
{
    /// <summary>The body was read (the policy may still be invalid).</summary>
    Read,

    /// <summary>No valid _mta-sts record: senders do not fetch the policy, nor does the check.</summary>
    NotFetched,

    /// <summary>The domain's fault: certificate, NXDOMAIN, redirect, status, content type, size, a broken answer.</summary>
    Failed,

    /// <summary>Could not tell: no connection, or no answer in time, from here (a Warning).</summary>
    Unreachable,

    /// <summary>Could not tell: DNS did not answer for mta-sts.&lt;domain&gt; (SERVFAIL, timeout; an Error).</summary>
    NameUnknown,
}

/// <summary>What came of fetching the policy file.</summary>
internal sealed class PolicyFetch
{
    public static readonly PolicyFetch NotFetched = new PolicyFetch(FetchOutcome.NotFetched, "not fetched", null, null);

    private PolicyFetch(FetchOutcome outcome, string kind, string? problem, MtaStsPolicy? policy)
    {
        Outcome = outcome;
        Kind = kind;
        Problem = problem;
        Policy = policy;
    }

    public FetchOutcome Outcome { get; }

    /// <summary>"ok", or a short English word for what failed (for the trace).</summary>
    public string Kind { get; }

    /// <summary>What failed, in the UI culture, to go into the Message; null when the policy was read.</summary>
    public string? Problem { get; }

    /// <summary>The parsed policy, valid or not; null when none was read.</summary>
    public MtaStsPolicy? Policy { get; }

    public static PolicyFetch Succeeded(MtaStsPolicy policy) => new PolicyFetch(FetchOutcome.Read, "ok", null, policy);

    public static PolicyFetch Failed(string kind, string problem, MtaStsPolicy? policy = null)
        => new PolicyFetch(policy == null ? FetchOutcome.Failed : FetchOutcome.Read, kind, problem, policy);

    public static PolicyFetch Unreachable(string kind, string problem) => new PolicyFetch(FetchOutcome.Unreachable, kind, problem, null);

    public static PolicyFetch NameUnknown(string kind, string problem) => new PolicyFetch(FetchOutcome.NameUnknown, kind, problem, null);
}

/// <summary>Everything the rules weigh, gathered from DNS and HTTPS.</summary>
internal sealed class MtaStsFacts
{
    public MtaStsFacts(string domain, IReadOnlyList<string> stsRecords, PolicyFetch fetch, IReadOnlyList<string> mxHosts, IReadOnlyList<string> tlsRptRecords, string? tlsRptUnknown = null)
    {
        TlsRptUnknown = tlsRptUnknown;
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

    /// <summary>The _smtp._tls lookup DNS could not answer (SERVFAIL, timeout...), in English; null when it answered.</summary>
    public string? TlsRptUnknown { get; }
}
