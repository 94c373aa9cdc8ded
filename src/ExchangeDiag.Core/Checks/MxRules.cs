using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>Turns a domain's MX records and what their hosts resolve to into findings.</summary>
internal static class MxRules
{
    public static Verdict Evaluate(string domain, IReadOnlyList<MxRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts, MxExpectation expectation)
    {
        var verdict = new Verdict();
        if (records.Count == 0)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                Texts.Messages.Format("Mx_NoRecord", domain),
                Texts.Messages.Format("Mx_NoRecord_Remediation", domain, expectation.Advice()));
            return verdict;
        }

        if (records.Any(r => r.Exchange == "."))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                Texts.Messages.Format("Mx_NullMx", domain),
                Texts.Messages.Format("Mx_NullMx_Remediation", domain, expectation.Advice()));
            return verdict;
        }

        bool exchangeOnly = expectation.ExchangeServer != null && records.All(r => DomainName.AreEqual(r.Exchange, expectation.ExchangeServer));
        if (!exchangeOnly && expectation.Records != null)
        {
            bool offerExchangeOnly = expectation.ExchangeServer != null && !expectation.Contains(expectation.ExchangeServer);
            foreach (string stranger in records.Select(r => r.Exchange).Where(h => !expectation.Contains(h)).Distinct())
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Mx_Stranger", stranger, expectation.HostDescription),
                    offerExchangeOnly
                        ? Texts.Messages.Format("Mx_Stranger_RemediationOrExchangeOnly", stranger, domain, expectation.Advice(), expectation.ExchangeServer)
                        : Texts.Messages.Format("Mx_Stranger_Remediation", stranger, domain, expectation.Advice()));
            }

            var missing = expectation.Records.Where(e => !records.Any(r => DomainName.AreEqual(r.Exchange, e.Exchange))).ToList();
            if (missing.Count > 0 && missing.Count < expectation.Records.Count)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Mx_Partial", expectation.Records.Count - missing.Count, expectation.Records.Count, string.Join(", ", missing.Select(m => m.Exchange))),
                    Texts.Messages.Format("Mx_Partial_Remediation", string.Join(", ", missing.Select(m => Texts.Messages.Format("Mx_Advice_Record", m.Exchange, m.Preference)))));
            }
        }

        AddHostFindings(verdict, domain, records, hosts);
        return verdict;
    }

    private static void AddHostFindings(Verdict verdict, string domain, IReadOnlyList<MxRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts)
    {
        var targets = records.Select(r => hosts[r.Exchange]).Distinct().ToList();

        // A host DNS could not answer for may resolve: only when none can is the MX set dead.
        bool anyMayResolve = targets.Any(t => t.Resolves || t.IsUnknown);
        foreach (HostResolution target in targets)
        {
            if (target.AliasOf != null)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Mx_HostIsAlias", target.Name, target.AliasOf),
                    Texts.Messages.Format("Mx_HostIsAlias_Remediation", target.AliasOf));
            }

            if (target.IsRefused)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Mx_HostRefused", target.Name, target.Failure()),
                    Texts.Messages["Mx_HostRefused_Remediation"]);
            }
            else if (target.IsUnknown)
            {
                verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                    Texts.Messages.Format("Mx_HostUnknown", target.Name, target.Failure()),
                    Texts.Messages["Dns_HostUnknown_Remediation"]);
            }
            else if (!target.Resolves)
            {
                if (anyMayResolve)
                {
                    verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                        Texts.Messages.Format("Mx_HostMissing_Fallback", target.Name, target.Failure()),
                        Texts.Messages.Format("Mx_HostMissing_Fallback_Remediation", target.Name));
                }
                else
                {
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                        Texts.Messages.Format("Mx_NoHostResolves", domain, target.Name, target.Failure()),
                        Texts.Messages.Format("Mx_NoHostResolves_Remediation", domain, target.Name));
                }
            }
        }
    }
}
