using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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

    /// <summary>Adds the lookup as a step; concludes the result and returns false when DNS could not answer.</summary>
    public static bool Record(CheckResult result, string stepName, DnsLookup lookup)
    {
        CheckStatus status = lookup.IsUnavailable ? CheckStatus.Error : CheckStatus.Passed;
        result.AddStep(stepName, status, lookup.ToString(), lookup.Duration);
        if (!lookup.IsUnavailable)
        {
            return true;
        }

        result.Conclude(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
            Texts.Messages.Format("Dns_Unavailable", lookup.Server, lookup.Type, lookup.Name, lookup.Code),
            Texts.Messages["Dns_Unavailable_Remediation"]);
        return false;
    }

    /// <summary>Resolves every distinct host at once and records one step per host, in the given order.</summary>
    public static async Task<IReadOnlyDictionary<string, HostResolution>> ResolveHostsAsync(CheckResult result, DnsQuerier dns, IEnumerable<string> hosts, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        List<string> distinct = hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        HostResolution[] resolved = await Task.WhenAll(distinct.Select(h => dns.ResolveHostAsync(h, cancellationToken))).ConfigureAwait(false);
        foreach (HostResolution host in resolved)
        {
            CheckStatus status = host.Resolves ? CheckStatus.Passed : host.IsUnknown ? CheckStatus.Error : CheckStatus.Failed;
            result.AddStep($"Resolve {host.Name}", status, host.Detail, clock.Elapsed);
        }

        return resolved.ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);
    }
}
