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
        if (expectation.SrvIsOptional)
        {
            AddOptionalRecordFindings(verdict, recordName, records, hosts, expectation, advice);
            return verdict;
        }

        if (expectation.Target == null && expectation.Provider?.ExchangeServerPattern != null)
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
        else if (expectation.Target == null && expectation.Provider?.ExchangeServerPattern is { } serverPattern && !serverPattern.IsMatch(record.Target))
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

    /// <summary>
    /// A provider that does not use the SRV record (Microsoft 365) needs none; but Outlook tries the
    /// record when the other methods fail, so one that leads elsewhere is worth a Warning, never a failure.
    /// </summary>
    private static void AddOptionalRecordFindings(Verdict verdict, string recordName, IReadOnlyList<SrvRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts, SrvExpectation expectation, string advice)
    {
        string provider = expectation.Provider!.DisplayName;
        string wanted = expectation.Provider.OptionalSrvTarget!;
        foreach (SrvRecordInfo record in records)
        {
            // "." says the service is not offered: what Outlook needs to know, and no harm.
            if (record.Target == ".")
            {
                continue;
            }

            if (!DomainName.AreEqual(record.Target, wanted) || record.Port != SrvExpectation.AutodiscoverPort)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                    Texts.Messages.Format("Srv_OptionalElsewhere", recordName, record.Target, record.Port, provider),
                    Texts.Messages.Format("Srv_OptionalElsewhere_Remediation", recordName, advice));
                continue;
            }

            HostResolution host = hosts[record.Target];
            if (host.IsUnknown && !host.IsRefused)
            {
                verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                    Texts.Messages.Format("Srv_TargetUnknown", host.Name, host.Failure()),
                    Texts.Messages["Dns_HostUnknown_Remediation"]);
            }
            else if (!host.Resolves && !host.IsUnknown && !host.IsRefused)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.SrvInvalid,
                    Texts.Messages.Format("Srv_TargetMissing", host.Name, host.Failure()),
                    Texts.Messages.Format("Srv_OptionalElsewhere_Remediation", recordName, advice));
            }
        }
    }

    /// <summary>The autodiscover CNAME the provider documents (Microsoft 365: autodiscover.&lt;domain&gt; to autodiscover.outlook.com).</summary>
    /// <param name="alias">The name looked up, autodiscover.&lt;domain&gt;.</param>
    /// <param name="canonical">The target of its CNAME record, or null when it has none.</param>
    /// <param name="exists">False when the name does not exist (NXDOMAIN).</param>
    public static void EvaluateCname(Verdict verdict, string alias, string? canonical, bool exists, SrvExpectation expectation)
    {
        string wanted = expectation.AutodiscoverCname!;
        string provider = expectation.Provider!.DisplayName;
        string advice = $"{alias}. CNAME {wanted}.";
        if (canonical == null)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.AutodiscoverCnameInvalid,
                Texts.Messages.Format(exists ? "Srv_CnameNotAlias" : "Srv_CnameMissing", alias, wanted, provider),
                Texts.Messages.Format("Srv_Cname_Remediation", advice, provider));
        }
        else if (!DomainName.AreEqual(canonical, wanted))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.AutodiscoverCnameInvalid,
                Texts.Messages.Format("Srv_CnameWrong", alias, canonical, wanted, provider),
                Texts.Messages.Format("Srv_Cname_Remediation", advice, provider));
        }
    }
}
