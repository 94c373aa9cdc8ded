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
                $"{domain} has no MX record, so other servers cannot deliver mail to it.",
                $"Add MX records for {domain}: {expectation.Advice()}.");
            return verdict;
        }

        if (records.Any(r => r.Exchange == "."))
        {
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                $"{domain} publishes a null MX (RFC 7505): it declares that it accepts no mail.",
                $"Replace the null MX record of {domain} with {expectation.Advice()}.");
            return verdict;
        }

        bool exchangeOnly = expectation.ExchangeServer != null && records.All(r => DomainName.AreEqual(r.Exchange, expectation.ExchangeServer));
        if (!exchangeOnly && expectation.Records != null)
        {
            string alternative = expectation.ExchangeServer == null || expectation.Contains(expectation.ExchangeServer)
                ? string.Empty
                : $", or only {expectation.ExchangeServer} when POP/IMAP mail is hosted elsewhere";
            foreach (string stranger in records.Select(r => r.Exchange).Where(h => !expectation.Contains(h)).Distinct())
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                    $"MX points to {stranger}, which is not {expectation.HostDescription}.",
                    $"Remove the MX record for {stranger} and set the MX records of {domain} to {expectation.Advice()}{alternative}.");
            }

            var missing = expectation.Records.Where(e => !records.Any(r => DomainName.AreEqual(r.Exchange, e.Exchange))).ToList();
            if (missing.Count > 0 && missing.Count < expectation.Records.Count)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                    $"Only {expectation.Records.Count - missing.Count} of the {expectation.Records.Count} expected MX hosts are set; missing: {string.Join(", ", missing.Select(m => m.Exchange))}.",
                    $"Add MX records for {string.Join(", ", missing.Select(m => $"{m.Exchange} (preference {m.Preference})"))} so that mail still arrives when one host is down.");
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
                    $"MX host {target.Name} is an alias (CNAME) of {target.AliasOf}; RFC 2181 forbids aliases as MX targets and some senders refuse them.",
                    $"Point the MX record at {target.AliasOf} directly.");
            }

            if (target.IsRefused)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                    $"Could not verify that MX host {target.Name} resolves: {target.Detail}.",
                    "The DNS server asked serves only some zones; ask a recursive resolver (omit -DnsServer) to verify the MX hosts.");
            }
            else if (target.IsUnknown)
            {
                verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                    $"Could not learn whether MX host {target.Name} resolves: {target.Detail}.",
                    "Check that the DNS server answers, or ask another one with -DnsServer, then run the check again.");
            }
            else if (!target.Resolves)
            {
                if (anyMayResolve)
                {
                    verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid,
                        $"MX host {target.Name} {target.Detail}; senders fall back to the other MX hosts.",
                        $"Fix or remove the MX record for {target.Name}.");
                }
                else
                {
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid,
                        $"No MX host of {domain} resolves to an address: {target.Name} {target.Detail}.",
                        $"Point the MX records of {domain} at hosts that exist, or add the missing A/AAAA records for {target.Name}.");
                }
            }
        }
    }
}
