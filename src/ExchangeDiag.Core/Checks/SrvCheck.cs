using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>Checks the <c>_autodiscover._tcp</c> SRV record of one domain.</summary>
public static class SrvCheck
{
    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    public static Task<SrvCheckResult> RunAsync(string domain, SrvExpectation expectation, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        string recordName = "_autodiscover._tcp." + domain;
        var result = new SrvCheckResult(domain, recordName) { Expected = expectation.Describe(recordName) };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            DnsLookup lookup = await dns.QueryAsync(recordName, QueryType.SRV, deadline).ConfigureAwait(false);
            if (!await DnsCheck.RecordAsync(result, "SRV lookup", lookup, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            // No SRV name says nothing of the domain itself; its MX question (shared with the MX
            // check in a diagnosis) says whether the domain exists at all.
            if (lookup.Outcome == DnsOutcome.NameError && await DnsCheck.DomainIsMissingAsync(result, domain, dns, deadline).ConfigureAwait(false))
            {
                result.Observed = "NXDOMAIN";
                return;
            }

            // Clients take the lowest priority first and, within it, favour the heaviest weight.
            var records = lookup.Answers.OfType<SrvRecord>()
                .Select(r => new SrvRecordInfo(r.Priority, r.Weight, r.Port, DomainName.Canonical(r.Target.Value)))
                .OrderBy(r => r.Priority)
                .ThenByDescending(r => r.Weight)
                .ToList();
            result.Records = new SummaryList<SrvRecordInfo>(records);
            result.Observed = records.Count == 0
                ? (lookup.Outcome == DnsOutcome.NameError ? "NXDOMAIN" : Texts.Messages["Observed_NoSrv"])
                : string.Join(", ", records);

            var targets = records.Select(r => r.Target).Where(t => t != ".").ToList();
            var hosts = targets.Count == 0
                ? new Dictionary<string, HostResolution>()
                : await DnsCheck.ResolveHostsAsync(result, dns, targets, deadline).ConfigureAwait(false);

            string pass = records.Count == 1
                ? Texts.Messages.Format("Srv_Passed_One", recordName, records[0].Target, records[0].Port)
                : Texts.Messages.Format("Srv_Passed_Many", recordName, records.Count, SrvExpectation.AutodiscoverPort);
            Verdict verdict = SrvRules.Evaluate(recordName, records, hosts, expectation);
            if (expectation.SrvIsOptional && records.Count == 0)
            {
                result.AddStep("SRV", CheckStatus.Passed, Texts.Messages.Format("Srv_NotUsed", recordName, expectation.Provider!.DisplayName));
            }

            DnsCheck.WarnOfUnusableTargets(verdict, lookup, DiagnosticCause.SrvInvalid);
            if (expectation.AutodiscoverCname != null)
            {
                string alias = "autodiscover." + domain;
                DnsLookup cname = await dns.QueryAsync(alias, QueryType.CNAME, deadline).ConfigureAwait(false);
                if (!await DnsCheck.RecordAsync(result, "CNAME lookup", cname, dns, deadline, DiagnosticCause.AutodiscoverCnameInvalid).ConfigureAwait(false))
                {
                    return;
                }

                result.AutodiscoverCname = cname.Answers.OfType<CNameRecord>().Select(r => DomainName.Canonical(r.CanonicalName.Value)).FirstOrDefault();
                result.Observed += $"; {alias} CNAME {result.AutodiscoverCname ?? (cname.Outcome == DnsOutcome.NameError ? "NXDOMAIN" : "-")}";
                SrvRules.EvaluateCname(verdict, alias, result.AutodiscoverCname, cname.Outcome != DnsOutcome.NameError, expectation);
                pass = records.Count == 0
                    ? Texts.Messages.Format("Srv_Passed_Cname", alias, result.AutodiscoverCname, expectation.Provider!.DisplayName, recordName)
                    : Texts.Messages.Format("Srv_Passed_CnameAndSrv", alias, result.AutodiscoverCname, pass);
            }

            verdict.ApplyTo(result, pass);
        });
    }
}
