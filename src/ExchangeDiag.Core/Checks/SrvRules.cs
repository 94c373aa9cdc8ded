using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>Turns the autodiscover SRV records of a domain and what their targets resolve to into findings.</summary>
internal static class SrvRules
{
    public static Verdict Evaluate(string recordName, IReadOnlyList<SrvRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts, SrvExpectation expectation)
    {
        var verdict = new Verdict();
        string advice = $"{recordName}. SRV 0 0 {SrvExpectation.AutodiscoverPort} {expectation.TargetAdvice}.";
        if (expectation.Target == null && expectation.Provider != null)
        {
            advice += " (? is the server number shown in the provider's control panel)";
        }

        if (records.Count == 0)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                $"There is no {recordName} SRV record, so Outlook and mobile clients cannot find the Exchange server by themselves.",
                $"Add the record {advice}");
            return verdict;
        }

        foreach (SrvRecordInfo record in records)
        {
            AddRecordFindings(verdict, record, hosts, expectation, advice);
        }

        return verdict;
    }

    private static void AddRecordFindings(Verdict verdict, SrvRecordInfo record, IReadOnlyDictionary<string, HostResolution> hosts, SrvExpectation expectation, string advice)
    {
        if (record.Target == ".")
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                "The SRV record's target is '.', which declares that autodiscover is not offered for this domain.",
                $"Replace it with {advice}");
            return;
        }

        if (record.Port != SrvExpectation.AutodiscoverPort)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                $"The SRV record sends clients to port {record.Port} of {record.Target}; autodiscover is served over HTTPS on port {SrvExpectation.AutodiscoverPort}.",
                $"Set the port of the SRV record to {SrvExpectation.AutodiscoverPort}: {advice}");
        }

        if (expectation.Target != null && !DomainName.AreEqual(record.Target, expectation.Target))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                $"The SRV record points to {record.Target}, not to the expected {expectation.Target}.",
                $"Set the target of the SRV record to {expectation.Target}: {advice}");
        }
        else if (expectation.Target == null && expectation.Provider != null && !expectation.Provider.ExchangeServerPattern.IsMatch(record.Target))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                $"The SRV record points to {record.Target}, which is not an {expectation.Provider.DisplayName} server ({expectation.Provider.ExchangeServerExample}).",
                $"Set the target of the SRV record to your Exchange server: {advice}");
        }

        HostResolution host = hosts[record.Target];
        if (host.IsRefused)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                $"Could not verify that SRV target {host.Name} resolves: {host.Detail}.",
                "The DNS server asked serves only some zones; ask a recursive resolver (omit -DnsServer) to verify the target.");
        }
        else if (host.IsUnknown)
        {
            verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                $"Could not learn whether SRV target {host.Name} resolves: {host.Detail}.",
                "Check that the DNS server answers, or ask another one with -DnsServer, then run the check again.");
        }
        else if (!host.Resolves)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                $"SRV target {host.Name} {host.Detail}, so clients following the record reach nothing.",
                $"Point the SRV record at a host that exists: {advice}");
        }
        else if (host.AliasOf != null)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                $"SRV target {host.Name} is an alias (CNAME) of {host.AliasOf}; RFC 2782 requires the target to be a host name with its own address records.",
                $"Point the SRV record at {host.AliasOf} directly.");
        }

        if (expectation.Provider != null && (record.Priority != 0 || record.Weight != 0))
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                $"The SRV record has priority {record.Priority} and weight {record.Weight}; {expectation.Provider.DisplayName} documents 0 and 0.",
                $"Set priority 0 and weight 0: {advice}");
        }
    }
}
