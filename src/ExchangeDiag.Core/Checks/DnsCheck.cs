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
    /// <summary>
    /// Runs a check's body under its deadline. A body that ends the check early concludes the
    /// result itself; a deadline that passes becomes an Error result, never an exception.
    /// </summary>
    public static async Task<T> RunAsync<T>(T result, DnsQuerier dns, TimeSpan timeout, CancellationToken stop, Func<CancellationToken, Task> body)
        where T : CheckResult
    {
        var clock = Stopwatch.StartNew();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await body(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                result.AddStep("Deadline", CheckStatus.Error, $"no complete answer from {dns.ServerDescription} within {timeout.TotalSeconds:0.#} s", clock.Elapsed);
                result.Conclude(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                    $"The DNS check of {result.Target} did not finish within {timeout.TotalSeconds:0.#} s: {dns.ServerDescription} answered too slowly or not at all.",
                    "Check that the DNS server is reachable, raise -TimeoutSeconds, or ask another server with -DnsServer.");
            }
        }

        result.Duration = clock.Elapsed;
        return result;
    }

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
            $"The DNS server {lookup.Server} could not answer the {lookup.Type} query for {lookup.Name}: {lookup.Code}.",
            "Check that the DNS server is reachable and serves this domain, or ask another one with -DnsServer.");
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
