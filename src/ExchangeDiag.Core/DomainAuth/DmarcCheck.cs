using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>Checks the DMARC policy that applies to a domain (RFC 7489), found by the DMARCbis DNS tree walk.</summary>
public static class DmarcCheck
{
    /// <summary>The most external report destinations whose authorisation is asked.</summary>
    private const int MaxDestinations = 8;

    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    public static Task<DmarcCheckResult> RunAsync(string domain, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new DmarcCheckResult(domain) { Expected = Texts.Dmarc.Format("Dmarc_Expected", domain) };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            IReadOnlyList<string> walk = TreeWalk(domain);
            int at = -1;
            List<string> records = new List<string>();
            for (int i = 0; i < walk.Count && at < 0; i++)
            {
                // Through CNAMEs: _dmarc is often an alias of a record at a hosted DMARC service, and an
                // authoritative server (or -DnsServer pointing at one) answers the CNAME alone.
                DnsQuerier.AliasedLookup aliased = await dns.QueryThroughAliasesAsync("_dmarc." + walk[i], QueryType.TXT, deadline).ConfigureAwait(false);
                DnsLookup lookup = aliased.Last;
                if (!await DnsCheck.RecordAsync(result, $"DMARC lookup _dmarc.{walk[i]}", lookup, dns, deadline, DiagnosticCause.DmarcInvalid).ConfigureAwait(false))
                {
                    return;
                }

                if (aliased.CanonicalName != null)
                {
                    result.AddStep($"DMARC alias _dmarc.{walk[i]}", CheckStatus.Passed, $"alias of {ServerText.Printable(aliased.CanonicalName, 256)}");
                }

                records = DnsCheck.TxtRecords(lookup).Where(DmarcRecord.IsDmarc).ToList();
                at = records.Count > 0 ? i : -1;
            }

            var verdict = new Verdict();
            if (at < 0)
            {
                if (await DnsCheck.DomainIsMissingAsync(result, domain, dns, deadline).ConfigureAwait(false))
                {
                    return;
                }

                result.Observed = Texts.Dmarc["Dmarc_ObservedNone"];
                verdict.Add(CheckStatus.Failed, DiagnosticCause.DmarcMissing,
                    Texts.Dmarc.Format("Dmarc_Missing", domain, string.Join(", ", walk.Select(n => "_dmarc." + n))),
                    Texts.Dmarc.Format("Dmarc_Missing_Remediation", domain));
                verdict.ApplyTo(result, string.Empty);
                return;
            }

            string policyDomain = walk[at];
            result.PolicyDomain = policyDomain;
            result.Record = ServerText.Printable(records[0], 1024);
            result.Observed = records.Count == 1 ? result.Record : string.Join(" | ", records.Take(4).Select(r => ServerText.Printable(r, 256)));
            if (records.Count > 1)
            {
                // RFC 7489 §6.6.3: more than one record, and receivers apply no DMARC at all.
                verdict.Add(CheckStatus.Failed, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_Several", policyDomain, records.Count),
                    Texts.Dmarc.Format("Dmarc_Several_Remediation", policyDomain));
                verdict.ApplyTo(result, string.Empty);
                return;
            }

            DmarcRecord record = DmarcRecord.Parse(records[0]);
            bool inherited = at > 0;
            result.Policy = record.Policy;
            result.SubdomainPolicy = record.SubdomainPolicy;
            result.AppliedPolicy = inherited ? record.SubdomainPolicy ?? record.Policy : record.Policy;
            result.Percentage = record.Percentage;
            result.DkimAlignment = record.DkimAlignment;
            result.SpfAlignment = record.SpfAlignment;
            result.ReportUris = new SummaryList<string>(record.AggregateUris.Select(u => ServerText.Printable(u.Uri, 256)));
            result.ForensicUris = new SummaryList<string>(record.ForensicUris.Select(u => ServerText.Printable(u.Uri, 256)));
            if (inherited)
            {
                result.AddStep("Policy", CheckStatus.Passed, $"no record at _dmarc.{domain}; the record of {policyDomain} applies, sp={record.SubdomainPolicy ?? "(absent, p applies)"}");
            }

            // RFC 7489 §6.6.3 (and DMARCbis): receivers discard the record when p= is missing or invalid,
            // or when it "contains an sp tag that is not valid", for the domain itself as for its
            // subdomains; every other mistake loses reports or an option, and the policy still applies.
            List<string> discarding = record.Errors.ToList();
            List<string> ignored = record.Warnings.ToList();
            if (record.SubdomainPolicyError != null)
            {
                discarding.Add(record.SubdomainPolicyError);
            }

            if (discarding.Count > 0)
            {
                result.AppliedPolicy = null;
                verdict.Add(CheckStatus.Failed, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_Invalid", policyDomain, ServerText.Printable(string.Join("; ", discarding.Concat(ignored)), 1024)),
                    Texts.Dmarc.Format("Dmarc_Invalid_Remediation", policyDomain));
            }
            else if (ignored.Count > 0)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_Flawed", policyDomain, ServerText.Printable(string.Join("; ", ignored), 1024), result.AppliedPolicy),
                    Texts.Dmarc.Format("Dmarc_Invalid_Remediation", policyDomain));
            }

            if (result.AppliedPolicy == "none")
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format(inherited ? "Dmarc_PolicyNone_Inherited" : "Dmarc_PolicyNone", domain, policyDomain),
                    Texts.Dmarc.Format("Dmarc_PolicyNone_Remediation", policyDomain));
            }

            if (record.Percentage < 100 && result.AppliedPolicy != "none")
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_Percentage", domain, record.Percentage),
                    Texts.Dmarc.Format("Dmarc_Percentage_Remediation", policyDomain));
            }

            foreach (DmarcUri uri in record.AggregateUris.Concat(record.ForensicUris).Where(u => !u.IsMailto))
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_NotMailto", ServerText.Printable(uri.Uri, 120)),
                    Texts.Dmarc.Format("Dmarc_NotMailto_Remediation", policyDomain));
            }

            await CheckDestinationsAsync(result, verdict, record, walk, at, dns, deadline).ConfigureAwait(false);

            string passMessage = inherited
                ? Texts.Dmarc.Format("Dmarc_Passed_Inherited", domain, result.AppliedPolicy, policyDomain)
                : Texts.Dmarc.Format("Dmarc_Passed", domain, result.AppliedPolicy);
            verdict.ApplyTo(result, passMessage);
        });
    }

    /// <summary>
    /// The names whose _dmarc record is asked, in order (DMARCbis "DNS Tree Walk"): the domain, then,
    /// from a name of 8 labels or more, its 7 right-most labels, then one label less at a time, never
    /// the top-level domain: at most 8 names.
    /// </summary>
    internal static IReadOnlyList<string> TreeWalk(string domain)
    {
        string[] labels = domain.Split('.');
        var names = new List<string> { domain };
        int count = labels.Length;
        while (names.Count < 8)
        {
            count = count >= 8 ? 7 : count - 1;
            if (count < 2)
            {
                break;
            }

            names.Add(string.Join(".", labels.Skip(labels.Length - count)));
        }

        return names;
    }

    /// <summary>
    /// RFC 7489 §7.1: a report address outside the policy's organisational domain receives reports only when
    /// &lt;policy-domain&gt;._report._dmarc.&lt;destination&gt; holds a v=DMARC1 record.
    /// </summary>
    private static async Task CheckDestinationsAsync(DmarcCheckResult result, Verdict verdict, DmarcRecord record, IReadOnlyList<string> walk, int at, DnsQuerier dns, CancellationToken deadline)
    {
        string policyDomain = walk[at];
        List<string> outside = record.AggregateUris.Concat(record.ForensicUris)
            .Where(u => u.IsMailto && !IsWithin(u.Domain!, policyDomain))
            .Select(u => u.Domain!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (outside.Count == 0)
        {
            return;
        }

        string organizational = await OrganizationalDomainAsync(result, walk, at, dns, deadline).ConfigureAwait(false);
        foreach (string destination in outside.Where(d => !IsWithin(d, organizational)).Take(MaxDestinations))
        {
            string name = $"{policyDomain}._report._dmarc.{destination}";
            // The addresses are the server's text: printable, each cut, and at most MaxUris of them.
            string uris = ServerText.Printable(string.Join(", ", record.AggregateUris.Concat(record.ForensicUris).Where(u => u.Domain == destination)
                .Select(u => ServerText.Printable(u.Address!, 120)).Distinct().Take(DmarcRecord.MaxUris)), 512);
            if (name.Length > 253)
            {
                result.AddStep($"Authorisation {destination}", CheckStatus.Warning, $"{name} is longer than a DNS name can be");
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_NotAuthorised", uris, destination, policyDomain, name),
                    Texts.Dmarc.Format("Dmarc_NotAuthorised_Remediation", destination, name, policyDomain));
                continue;
            }

            DnsLookup lookup = (await dns.QueryThroughAliasesAsync(name, QueryType.TXT, deadline).ConfigureAwait(false)).Last;
            bool authorised = !lookup.IsUnavailable && DnsCheck.TxtRecords(lookup).Any(DmarcRecord.IsDmarc);
            result.AddStep($"Authorisation {destination}", authorised ? CheckStatus.Passed : lookup.IsUnavailable ? CheckStatus.Error : CheckStatus.Warning, lookup.ToString(), lookup.Duration);
            if (lookup.IsUnavailable)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_AuthorisationUnknown", uris, destination, name, lookup.Said),
                    Texts.Messages["Dns_Unavailable_Remediation"]);
            }
            else if (!authorised)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DmarcInvalid,
                    Texts.Dmarc.Format("Dmarc_NotAuthorised", uris, destination, policyDomain, name),
                    Texts.Dmarc.Format("Dmarc_NotAuthorised_Remediation", destination, name, policyDomain));
            }
        }
    }

    /// <summary>
    /// The organisational domain by the DMARCbis tree walk, without a public suffix list: above the
    /// policy domain, the first record with psd=n, or the name just below one with psd=y; else the
    /// name with the fewest labels that has a DMARC record.
    /// </summary>
    private static async Task<string> OrganizationalDomainAsync(DmarcCheckResult result, IReadOnlyList<string> walk, int at, DnsQuerier dns, CancellationToken deadline)
    {
        string organizational = walk[at];
        for (int i = at + 1; i < walk.Count; i++)
        {
            DnsLookup lookup = (await dns.QueryThroughAliasesAsync("_dmarc." + walk[i], QueryType.TXT, deadline).ConfigureAwait(false)).Last;
            List<string> found = lookup.IsUnavailable ? new List<string>() : DnsCheck.TxtRecords(lookup).Where(DmarcRecord.IsDmarc).ToList();
            result.AddStep($"Organisational domain _dmarc.{walk[i]}", lookup.IsUnavailable ? CheckStatus.Error : CheckStatus.Passed, lookup.ToString(), lookup.Duration);
            if (found.Count != 1)
            {
                continue;
            }

            string? psd = DmarcRecord.Parse(found[0]).PublicSuffix;
            if (psd == "y")
            {
                break;
            }

            organizational = walk[i];
            if (psd == "n")
            {
                break;
            }
        }

        result.AddStep("Organisational domain", CheckStatus.Passed, organizational);
        return organizational;
    }

    private static bool IsWithin(string name, string domain)
        => name == domain || name.EndsWith("." + domain, StringComparison.Ordinal);
}
