using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>Checks the MX records of one domain.</summary>
public static class MxCheck
{
    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    public static Task<MxCheckResult> RunAsync(string domain, MxExpectation expectation, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        expectation = expectation.For(domain);
        var result = new MxCheckResult(domain) { Expected = expectation.Describe() };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            DnsLookup? lookup = await DnsCheck.MxLookupAsync(result, domain, dns, deadline).ConfigureAwait(false);
            if (lookup == null)
            {
                return;
            }

            List<MxRecordInfo> records = SortedRecords(lookup.Answers);
            result.Records = new SummaryList<MxRecordInfo>(records);
            result.Observed = records.Count == 0 ? Texts.Messages["Observed_NoMx"] : string.Join(", ", records);

            IReadOnlyDictionary<string, HostResolution> hosts = records.Count == 0 || MxRules.HasNullMx(records)
                ? new Dictionary<string, HostResolution>()
                : await DnsCheck.ResolveHostsAsync(result, dns, Exchanges(records), deadline).ConfigureAwait(false);

            Verdict verdict = MxRules.Evaluate(domain, records, hosts, expectation);
            DnsCheck.WarnOfUnusableTargets(verdict, lookup, DiagnosticCause.MxInvalid);
            verdict.ApplyTo(result, PassMessage(domain, records, expectation));
        });
    }

    /// <summary>The MX records, best preference first, then by host (without LINQ: this runs for every domain of a bulk run).</summary>
    private static List<MxRecordInfo> SortedRecords(IReadOnlyList<DnsResourceRecord> answers)
    {
        var records = new List<MxRecordInfo>(answers.Count);
        foreach (DnsResourceRecord answer in answers)
        {
            if (answer is MxRecord mx)
            {
                records.Add(new MxRecordInfo(mx.Preference, DomainName.Canonical(mx.Exchange.Value)));
            }
        }

        // Records that compare equal are the same record: the sort need not be stable.
        records.Sort(ByPreferenceThenHost);
        return records;
    }

    private static readonly Comparison<MxRecordInfo> ByPreferenceThenHost = (left, right)
        => left.Preference != right.Preference ? left.Preference.CompareTo(right.Preference) : string.CompareOrdinal(left.Exchange, right.Exchange);

    private static string[] Exchanges(List<MxRecordInfo> records)
    {
        var hosts = new string[records.Count];
        for (int i = 0; i < hosts.Length; i++)
        {
            hosts[i] = records[i].Exchange;
        }

        return hosts;
    }

    private static string PassMessage(string domain, IReadOnlyList<MxRecordInfo> records, MxExpectation expectation)
    {
        string count = records.Count == 1 ? Texts.Messages["Mx_OneRecord"] : Texts.Messages.Format("Mx_Records", records.Count);
        if (expectation.ExchangeServer != null && MxRules.AllAre(records, expectation.ExchangeServer))
        {
            return Texts.Messages.Format("Mx_Passed_ExchangeServer", domain, count, expectation.ExchangeServer);
        }

        return expectation.Records == null
            ? Texts.Messages.Format("Mx_Passed_Any", domain, count)
            : Texts.Messages.Format("Mx_Passed_Expected", domain, count, expectation.HostDescription);
    }
}
