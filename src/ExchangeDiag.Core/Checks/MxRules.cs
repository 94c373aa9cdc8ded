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
        expectation = expectation.For(domain);
        if (records.Count == 0)
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                Texts.Messages.Format("Mx_NoRecord", domain),
                Texts.Messages.Format("Mx_NoRecord_Remediation", domain, expectation.Advice()));
            return verdict;
        }

        if (HasNullMx(records))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                Texts.Messages.Format("Mx_NullMx", domain),
                Texts.Messages.Format("Mx_NullMx_Remediation", domain, expectation.Advice()));
            return verdict;
        }

        bool exchangeOnly = expectation.ExchangeServer != null && AllAre(records, expectation.ExchangeServer);
        if (!exchangeOnly && expectation.Records != null)
        {
            bool offerExchangeOnly = expectation.ExchangeServer != null && !expectation.Contains(expectation.ExchangeServer);
            foreach (string stranger in Strangers(records, expectation))
            {
                if (expectation.IsProvidersOtherHost(stranger))
                {
                    verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                        Texts.Messages.Format("Mx_ProvidersOtherHost", stranger, expectation.HostDescription, domain),
                        Texts.Messages.Format("Mx_ProvidersOtherHost_Remediation", domain, expectation.Advice()));
                    continue;
                }

                verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                    Texts.Messages.Format("Mx_Stranger", stranger, expectation.HostDescription),
                    offerExchangeOnly
                        ? Texts.Messages.Format("Mx_Stranger_RemediationOrExchangeOnly", stranger, domain, expectation.Advice(), expectation.ExchangeServer)
                        : Texts.Messages.Format(expectation.StrangerRemediationKey, stranger, domain, expectation.Advice()));
            }

            List<MxRecordInfo> missing = Missing(expectation.Records, records);
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

    // Loops rather than LINQ below: every domain of a bulk run passes here, and each lambda and
    // iterator would be an allocation per domain.
    internal static bool HasNullMx(IReadOnlyList<MxRecordInfo> records)
    {
        for (int i = 0; i < records.Count; i++)
        {
            MxRecordInfo record = records[i];
            if (record.Exchange == ".")
            {
                return true;
            }
        }

        return false;
    }

    internal static bool AllAre(IReadOnlyList<MxRecordInfo> records, string exchange)
    {
        for (int i = 0; i < records.Count; i++)
        {
            MxRecordInfo record = records[i];
            if (!DomainName.AreEqual(record.Exchange, exchange))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The published hosts outside the expected set, each once, in the records' order.</summary>
    private static IReadOnlyList<string> Strangers(IReadOnlyList<MxRecordInfo> records, MxExpectation expectation)
    {
        List<string>? strangers = null;
        for (int i = 0; i < records.Count; i++)
        {
            MxRecordInfo record = records[i];
            if (!expectation.Contains(record.Exchange))
            {
                strangers ??= new List<string>();
                if (!strangers.Contains(record.Exchange))
                {
                    strangers.Add(record.Exchange);
                }
            }
        }

        return strangers ?? (IReadOnlyList<string>)System.Array.Empty<string>();
    }

    /// <summary>The expected records no published record names, in the expected order.</summary>
    private static List<MxRecordInfo> Missing(IReadOnlyList<MxRecordInfo> expected, IReadOnlyList<MxRecordInfo> records)
    {
        var missing = new List<MxRecordInfo>();
        for (int w = 0; w < expected.Count; w++)
        {
            MxRecordInfo wanted = expected[w];
            bool published = false;
            for (int i = 0; i < records.Count; i++)
            {
                MxRecordInfo record = records[i];
                if (DomainName.AreEqual(record.Exchange, wanted.Exchange))
                {
                    published = true;
                    break;
                }
            }

            if (!published)
            {
                missing.Add(wanted);
            }
        }

        return missing;
    }

    private static void AddHostFindings(Verdict verdict, string domain, IReadOnlyList<MxRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts)
    {
        // Each host once, in the records' order (hosts are shared objects, so reference identity is enough).
        var targets = new List<HostResolution>(records.Count);
        bool anyMayResolve = false;
        for (int i = 0; i < records.Count; i++)
        {
            MxRecordInfo record = records[i];
            HostResolution host = hosts[record.Exchange];
            if (!targets.Contains(host))
            {
                targets.Add(host);
                anyMayResolve |= host.Resolves || host.IsUnknown;
            }
        }

        // A host DNS could not answer for may resolve (anyMayResolve): only when none can is the MX set dead.
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
