using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>What the DNS checks share: the deadline, the DNS-unavailable conclusion, host resolution steps.</summary>
internal static class DnsCheck
{
    /// <summary>Runs a DNS check under its deadline; a deadline that passes concludes DnsUnavailable.</summary>
    public static Task<T> RunAsync<T>(T result, DnsQuerier dns, TimeSpan timeout, CancellationToken stop, Func<CancellationToken, Task> body)
        where T : CheckResult
        => CheckRunner.RunAsync(result, timeout, stop, body, (r, elapsed) =>
        {
            r.AddStep("Deadline", CheckStatus.Error, $"no complete answer from {dns.ServerDescription} within {timeout.TotalSeconds:0.#} s", elapsed);
            r.Conclude(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                Texts.Messages.Format("Dns_TimedOut", r.Target, timeout.TotalSeconds, dns.ServerDescription),
                Texts.Messages["Dns_TimedOut_Remediation"]);
        });

    /// <summary>
    /// Adds the lookup as a step; concludes the result and returns false when DNS could not answer.
    /// A server that refuses, or answers nothing, not even the root zone, is this computer's
    /// problem (LocalDnsFailure), and so is one whose packets do not parse or answer another question:
    /// a resolver does not pass such packets on. One that answers the root but not the domain points
    /// at the domain's DNS; a record no host can be is the domain's record, wrong.
    /// </summary>
    /// <param name="invalidRecordCause">The check's own cause for a record no host or resolver can use (a target that is no host name, an endless CNAME chain); the MX or SRV cause by default.</param>
    public static async Task<bool> RecordAsync(CheckResult result, string stepName, DnsLookup lookup, DnsQuerier dns, CancellationToken cancellationToken, DiagnosticCause? invalidRecordCause = null)
    {
        CheckStatus status = lookup.IsUnavailable ? CheckStatus.Error : CheckStatus.Passed;
        result.AddStep(stepName, status, lookup.ToString(), lookup.Duration);
        if (!lookup.IsUnavailable)
        {
            return true;
        }

        if (lookup.Outcome == DnsOutcome.InvalidRecord)
        {
            result.Conclude(CheckStatus.Failed, invalidRecordCause ?? (result is SrvCheckResult ? DiagnosticCause.SrvInvalid : DiagnosticCause.MxInvalid),
                Texts.Messages.Format("Dns_InvalidRecord", lookup.Type, lookup.Name, lookup.Said),
                Texts.Messages.Format("Dns_InvalidRecord_Remediation", lookup.Type));
            return false;
        }

        if (lookup.Outcome == DnsOutcome.Malformed)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.LocalDnsFailure,
                Texts.Messages.Format("Dns_Malformed", lookup.Server, lookup.Type, lookup.Name, lookup.Said),
                Texts.Messages["Dns_Malformed_Remediation"]);
            return false;
        }

        if (lookup.Outcome == DnsOutcome.Refused)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.LocalDnsFailure,
                Texts.Messages.Format("Dns_Refused", lookup.Server, lookup.Type, lookup.Name),
                Texts.Messages["Dns_Refused_Remediation"]);
            return false;
        }

        if (lookup.Outcome == DnsOutcome.Timeout || lookup.Outcome == DnsOutcome.NetworkError)
        {
            DnsLookup probe = await dns.ProbeServerAsync(cancellationToken).ConfigureAwait(false);
            bool silent = probe.Outcome == DnsOutcome.Timeout || probe.Outcome == DnsOutcome.NetworkError;
            result.AddStep("DNS server", silent ? CheckStatus.Error : CheckStatus.Passed, probe.ToString(), probe.Duration);
            if (silent)
            {
                result.Conclude(CheckStatus.Error, DiagnosticCause.LocalDnsFailure,
                    Texts.Messages.Format("Dns_ServerSilent", dns.ServerDescription),
                    Texts.Messages["Dns_ServerSilent_Remediation"]);
                return false;
            }
        }

        result.Conclude(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
            Texts.Messages.Format("Dns_Unavailable", lookup.Server, lookup.Type, lookup.Name, lookup.Said),
            Texts.Messages["Dns_Unavailable_Remediation"]);
        return false;
    }

    /// <summary>
    /// Records left out of the answer because their target is no host name: a Warning of
    /// <paramref name="cause"/>, since mail servers and clients skip them and use the others.
    /// </summary>
    public static void WarnOfUnusableTargets(Verdict verdict, DnsLookup lookup, DiagnosticCause cause)
    {
        if (lookup.UnusableTargets.Count > 0)
        {
            verdict.Add(CheckStatus.Warning, cause,
                Texts.Messages.Format("Dns_UnusableTargets", lookup.Type, lookup.Name, string.Join(", ", lookup.UnusableTargets)),
                Texts.Messages.Format("Dns_InvalidRecord_Remediation", lookup.Type));
        }
    }

    /// <summary>
    /// The TXT records of a lookup, each one's character-strings joined without a separator, as
    /// SPF (RFC 7208 §3.3), DKIM (RFC 6376 §3.6.2.2) and DMARC read a record split into 255-byte strings.
    /// </summary>
    public static IReadOnlyList<string> TxtRecords(DnsLookup lookup)
        => lookup.Answers.OfType<TxtRecord>().Select(r => string.Concat(r.Text)).ToList();

    /// <summary>
    /// Looks up the domain's MX records and records the step; returns null when the result is
    /// concluded: DNS could not answer (as <see cref="RecordAsync"/>), or the domain does not exist.
    /// </summary>
    public static async Task<DnsLookup?> MxLookupAsync(CheckResult result, string domain, DnsQuerier dns, CancellationToken cancellationToken)
    {
        DnsLookup lookup = await dns.QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        return await DomainRecordAsync(result, "MX lookup", domain, lookup, dns, cancellationToken).ConfigureAwait(false) ? lookup : null;
    }

    /// <summary>
    /// As <see cref="RecordAsync"/> for a question about the domain itself (its MX, its SPF record):
    /// NXDOMAIN there means the domain does not exist, which concludes the result too.
    /// </summary>
    public static async Task<bool> DomainRecordAsync(CheckResult result, string stepName, string domain, DnsLookup lookup, DnsQuerier dns, CancellationToken cancellationToken)
    {
        if (!await RecordAsync(result, stepName, lookup, dns, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (lookup.Outcome == DnsOutcome.NameError)
        {
            result.Observed = "NXDOMAIN";
            ConcludeDomainNotFound(result, domain);
            return false;
        }

        return true;
    }

    /// <summary>The mail domain itself does not exist (NXDOMAIN): no record of it can be right.</summary>
    public static void ConcludeDomainNotFound(CheckResult result, string domain)
        => result.Conclude(CheckStatus.Failed, DiagnosticCause.DomainNotFound,
            Texts.Messages.Format("Domain_NotFound", domain),
            Texts.Messages.Format("Domain_NotFound_Remediation", domain));

    /// <summary>Asks whether the domain exists; concludes DomainNotFound and returns true when it does not.</summary>
    public static async Task<bool> DomainIsMissingAsync(CheckResult result, string domain, DnsQuerier dns, CancellationToken cancellationToken)
    {
        DnsLookup lookup = await dns.QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        if (lookup.Outcome != DnsOutcome.NameError)
        {
            return false;
        }

        result.AddStep("Domain", CheckStatus.Failed, lookup.ToString(), lookup.Duration);
        ConcludeDomainNotFound(result, domain);
        return true;
    }

    private static bool ContainsIgnoringCase(List<string> names, string name)
    {
        foreach (string known in names)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Resolves every distinct host at once and records one step per host, in the given order.</summary>
    public static async Task<IReadOnlyDictionary<string, HostResolution>> ResolveHostsAsync(CheckResult result, DnsQuerier dns, IEnumerable<string> hosts, CancellationToken cancellationToken)
    {
        long started = Clock.Now;
        // A list, not a set: a domain has a handful of hosts, and this runs for every domain of a bulk run.
        var asked = new List<string>();
        var inOrder = new List<Task<HostResolution>>();
        bool allKnown = true;
        foreach (string host in hosts)
        {
            if (!ContainsIgnoringCase(asked, host))
            {
                Task<HostResolution> resolving = dns.ResolveHostAsync(host, cancellationToken);
                asked.Add(host);
                inOrder.Add(resolving);
                allKnown &= resolving.IsCompleted;
            }
        }

        // The provider's hosts, remembered for every domain of a bulk run, need no WhenAll.
        if (!allKnown)
        {
            await Task.WhenAll(inOrder).ConfigureAwait(false);
        }

        var resolved = new Dictionary<string, HostResolution>(inOrder.Count, StringComparer.OrdinalIgnoreCase);
        foreach (Task<HostResolution> resolving in inOrder)
        {
            // Awaited, not .Result: a cancelled or failed resolution throws as WhenAll did.
            HostResolution host = await resolving.ConfigureAwait(false);
            CheckStatus status = host.Resolves ? CheckStatus.Passed : host.IsUnknown ? CheckStatus.Error : CheckStatus.Failed;
            result.AddStep(host.StepName, status, host.Detail, Clock.Since(started));
            resolved[host.Name] = host;
        }

        return resolved;
    }
}
