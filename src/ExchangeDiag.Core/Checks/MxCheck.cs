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
        var result = new MxCheckResult(domain) { Expected = expectation.Describe() };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            DnsLookup? lookup = await DnsCheck.MxLookupAsync(result, domain, dns, deadline).ConfigureAwait(false);
            if (lookup == null)
            {
                return;
            }

            var records = lookup.Answers.OfType<MxRecord>()
                .Select(r => new MxRecordInfo(r.Preference, DomainName.Canonical(r.Exchange.Value)))
                .OrderBy(r => r.Preference)
                .ThenBy(r => r.Exchange, StringComparer.Ordinal)
                .ToList();
            result.Records = new SummaryList<MxRecordInfo>(records);
            result.Observed = records.Count == 0 ? Texts.Messages["Observed_NoMx"] : string.Join(", ", records);

            var hosts = records.Count == 0 || records.Any(r => r.Exchange == ".")
                ? new Dictionary<string, HostResolution>()
                : await DnsCheck.ResolveHostsAsync(result, dns, records.Select(r => r.Exchange), deadline).ConfigureAwait(false);

            Verdict verdict = MxRules.Evaluate(domain, records, hosts, expectation);
            DnsCheck.WarnOfUnusableTargets(verdict, lookup, DiagnosticCause.MxInvalid);
            verdict.ApplyTo(result, PassMessage(domain, records, expectation));
        });
    }

    private static string PassMessage(string domain, IReadOnlyList<MxRecordInfo> records, MxExpectation expectation)
    {
        string count = records.Count == 1 ? Texts.Messages["Mx_OneRecord"] : Texts.Messages.Format("Mx_Records", records.Count);
        if (expectation.ExchangeServer != null && records.All(r => DomainName.AreEqual(r.Exchange, expectation.ExchangeServer)))
        {
            return Texts.Messages.Format("Mx_Passed_ExchangeServer", domain, count, expectation.ExchangeServer);
        }

        return expectation.Records == null
            ? Texts.Messages.Format("Mx_Passed_Any", domain, count)
            : Texts.Messages.Format("Mx_Passed_Expected", domain, count, expectation.HostDescription);
    }
}
