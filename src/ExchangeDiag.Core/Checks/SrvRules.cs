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
            advice += Texts.Messages["Srv_ServerNumberNote"];
        }

        if (records.Count == 0)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_NoRecord", recordName),
                Texts.Messages.Format("Srv_NoRecord_Remediation", advice));
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
                Texts.Messages["Srv_DotTarget"],
                Texts.Messages.Format("Srv_DotTarget_Remediation", advice));
            return;
        }

        if (record.Port != SrvExpectation.AutodiscoverPort)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_WrongPort", record.Port, record.Target, SrvExpectation.AutodiscoverPort),
                Texts.Messages.Format("Srv_WrongPort_Remediation", SrvExpectation.AutodiscoverPort, advice));
        }

        if (expectation.Target != null && !DomainName.AreEqual(record.Target, expectation.Target))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_WrongTarget", record.Target, expectation.Target),
                Texts.Messages.Format("Srv_WrongTarget_Remediation", expectation.Target, advice));
        }
        else if (expectation.Target == null && expectation.Provider != null && !expectation.Provider.ExchangeServerPattern.IsMatch(record.Target))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_NotProviderServer", record.Target, expectation.Provider.DisplayName, expectation.Provider.ExchangeServerExample),
                Texts.Messages.Format("Srv_NotProviderServer_Remediation", advice));
        }

        HostResolution host = hosts[record.Target];
        if (host.IsRefused)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_TargetRefused", host.Name, host.Failure()),
                Texts.Messages["Srv_TargetRefused_Remediation"]);
        }
        else if (host.IsUnknown)
        {
            verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                Texts.Messages.Format("Srv_TargetUnknown", host.Name, host.Failure()),
                Texts.Messages["Dns_HostUnknown_Remediation"]);
        }
        else if (!host.Resolves)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_TargetMissing", host.Name, host.Failure()),
                Texts.Messages.Format("Srv_TargetMissing_Remediation", advice));
        }
        else if (host.AliasOf != null)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_TargetIsAlias", host.Name, host.AliasOf),
                Texts.Messages.Format("Srv_TargetIsAlias_Remediation", host.AliasOf));
        }

        if (expectation.ZeroPriorityProvider is { } provider && (record.Priority != 0 || record.Weight != 0))
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                Texts.Messages.Format("Srv_PriorityWeight", record.Priority, record.Weight, provider.DisplayName),
                Texts.Messages.Format("Srv_PriorityWeight_Remediation", advice));
        }
    }
}
