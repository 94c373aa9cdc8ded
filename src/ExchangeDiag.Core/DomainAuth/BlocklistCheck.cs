using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>Asks DNS blocklists (RFC 5782) about a domain's mail addresses, or about one address.</summary>
public static class BlocklistCheck
{
    /// <summary>The most addresses asked about for one domain; the others are named in a step.</summary>
    public const int MaxAddresses = 32;

    /// <summary>The most MX hosts resolved for one domain, best preference first.</summary>
    private const int MaxHosts = 16;

    /// <summary>The most sending addresses read from the caller.</summary>
    private const int MaxOutbound = 256;

    /// <summary>Questions one check has in flight at once: a domain's 32 addresses times its zones.</summary>
    private const int MaxParallelQueries = 8;

    /// <summary>The longest listing reason (a TXT record, up to 64 KB over TCP) kept.</summary>
    private const int MaxReasonLength = 300;

    /// <summary>
    /// An address in the form results show it (IPv4 dotted decimal, IPv6 compressed lower case), or
    /// null with the reason: only an address written in full (four octets) or an IPv6 address.
    /// </summary>
    public static string? TryNormalizeAddress(string input, out string? error)
    {
        IPAddress? address = BlocklistQuery.TryParseAddress(input, out string? why);
        error = address == null ? "is not an IP address: " + why : null;
        return address?.ToString();
    }

    /// <summary>Asks each zone about one address.</summary>
    /// <param name="address">An IPv4 or IPv6 address, written in full.</param>
    /// <param name="zones">The DNSBL zones to ask, such as <see cref="BlocklistZones.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not an IP address.</exception>
    public static Task<BlocklistCheckResult> RunForAddressAsync(string address, IReadOnlyList<string> zones, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        IPAddress ip = BlocklistQuery.TryParseAddress(address, out string? why)
            ?? throw new ArgumentException($"'{address}' is not an IP address: {why}.", nameof(address));
        BlocklistCheckResult result = NewResult(ip.ToString(), zones);
        return DnsCheck.RunAsync(result, dns, timeout, stop, deadline =>
            CheckAddressesAsync(result, new[] { new BlocklistCandidate(ip, null) }, zones, dns, hostsUnknown: false, deadline));
    }

    /// <summary>
    /// Asks each zone about the addresses of the domain's MX hosts (the domain itself when it has no
    /// MX record, RFC 5321 §5.1), and about <paramref name="outboundAddresses"/>: the addresses the
    /// domain sends from (the SPF record's ip4, ip6 and a addresses). At most <see cref="MaxAddresses"/>.
    /// </summary>
    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    /// <param name="outboundAddresses">IP addresses, or single-address ranges (/32, /128); wider ranges and other text are left out with a step. May be null.</param>
    /// <param name="mxHostsSend">The domain's SPF record names its MX hosts as senders (an mx mechanism): their addresses are sending addresses too, where a policy listing such as Spamhaus PBL matters.</param>
    public static Task<BlocklistCheckResult> RunForDomainAsync(string domain, IReadOnlyList<string> zones, IReadOnlyCollection<string>? outboundAddresses, DnsQuerier dns, TimeSpan timeout, CancellationToken stop, bool mxHostsSend = false)
    {
        BlocklistCheckResult result = NewResult(domain, zones);
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            DnsLookup? lookup = await DnsCheck.MxLookupAsync(result, domain, dns, deadline).ConfigureAwait(false);
            if (lookup == null)
            {
                return;
            }

            List<string> hosts = MailHosts(result, domain, lookup);
            IReadOnlyDictionary<string, HostResolution> resolved = hosts.Count == 0
                ? new Dictionary<string, HostResolution>()
                : await DnsCheck.ResolveHostsAsync(result, dns, hosts, deadline).ConfigureAwait(false);

            var candidates = new List<BlocklistCandidate>();
            foreach (string host in hosts)
            {
                foreach (string text in resolved.TryGetValue(host, out HostResolution? resolution) ? resolution.Addresses : Array.Empty<string>())
                {
                    if (IPAddress.TryParse(text, out IPAddress? address))
                    {
                        candidates.Add(new BlocklistCandidate(address, host, mxHostsSend));
                    }
                }
            }

            candidates.AddRange(Outbound(result, outboundAddresses));
            bool hostsUnknown = resolved.Values.Any(h => h.IsUnknown);
            await CheckAddressesAsync(result, candidates, zones, dns, hostsUnknown, deadline).ConfigureAwait(false);
        });
    }

    private static BlocklistCheckResult NewResult(string target, IReadOnlyList<string> zones)
        => new BlocklistCheckResult(target)
        {
            Zones = new SummaryList<string>(zones),
            Expected = Texts.Blocklist.Format("Expected", string.Join(", ", zones)),
        };

    /// <summary>The MX hosts by preference; the domain itself without MX; none for a null MX.</summary>
    private static List<string> MailHosts(BlocklistCheckResult result, string domain, DnsLookup lookup)
    {
        var records = lookup.Answers.OfType<MxRecord>()
            .Select(r => (r.Preference, Host: DomainName.Canonical(r.Exchange.Value)))
            .OrderBy(r => r.Preference).ThenBy(r => r.Host, StringComparer.Ordinal)
            .ToList();
        if (records.Count == 0)
        {
            result.AddStep("MX hosts", CheckStatus.Passed, $"no MX record: mail for {domain} goes to the domain's own address (implicit MX, RFC 5321 section 5.1)");
            return new List<string> { domain };
        }

        var hosts = records.Select(r => r.Host).Where(h => h != ".").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (hosts.Count == 0)
        {
            result.AddStep("MX hosts", CheckStatus.Passed, $"null MX: {domain} receives no mail (RFC 7505)");
        }
        else if (hosts.Count > MaxHosts)
        {
            result.AddStep("MX hosts", CheckStatus.Warning, $"{hosts.Count} MX hosts: the first {MaxHosts} by preference are resolved, the others left out");
            hosts = hosts.Take(MaxHosts).ToList();
        }

        return hosts;
    }

    /// <summary>The caller's sending addresses that are single addresses; the others are named in a step.</summary>
    private static IEnumerable<BlocklistCandidate> Outbound(BlocklistCheckResult result, IReadOnlyCollection<string>? outboundAddresses)
    {
        var candidates = new List<BlocklistCandidate>();
        var unusable = new List<string>();
        foreach (string? entry in (outboundAddresses ?? Array.Empty<string>()).Take(MaxOutbound))
        {
            string text = entry?.Trim() ?? string.Empty;
            int slash = text.IndexOf('/');
            IPAddress? address = BlocklistQuery.TryParseAddress(slash < 0 ? text : text.Substring(0, slash), out _);
            string prefix = slash < 0 ? string.Empty : text.Substring(slash + 1);
            bool single = address != null && (slash < 0 || prefix == (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? "32" : "128"));
            if (single)
            {
                candidates.Add(new BlocklistCandidate(address!, null, outbound: true));
            }
            else
            {
                unusable.Add(ServerText.Printable(text, 60));
            }
        }

        if (unusable.Count > 0)
        {
            result.AddStep("Sending addresses", CheckStatus.Skipped,
                $"left out, not single IP addresses (a blocklist is asked about one address at a time): {string.Join(", ", unusable.Take(8))}{(unusable.Count > 8 ? $" and {unusable.Count - 8} more" : string.Empty)}");
        }

        if (outboundAddresses != null && outboundAddresses.Count > MaxOutbound)
        {
            result.AddStep("Sending addresses", CheckStatus.Skipped, $"only the first {MaxOutbound} of {outboundAddresses.Count} sending addresses were read");
        }

        return candidates;
    }

    private static async Task CheckAddressesAsync(BlocklistCheckResult result, IReadOnlyList<BlocklistCandidate> candidates, IReadOnlyList<string> zones, DnsQuerier dns, bool hostsUnknown, CancellationToken deadline)
    {
        var asked = new List<BlocklistCandidate>();
        var skipped = new List<string>();
        // An MX host's address that the domain also sends from (its SPF record) counts as a sending address.
        foreach (BlocklistCandidate candidate in candidates.GroupBy(c => c.Text).Select(g => !g.First().Outbound && g.Any(c => c.Outbound)
            ? new BlocklistCandidate(g.First().Address, g.First().MxHost, outbound: true)
            : g.First()))
        {
            string? notPublic = BlocklistQuery.NotPublic(candidate.Address);
            if (notPublic != null)
            {
                skipped.Add(candidate.Text);
                result.AddStep($"Skip {candidate.Text}", CheckStatus.Skipped, $"{candidate.Text} is {notPublic}: no public blocklist lists it, so it is not asked about");
                continue;
            }

            asked.Add(candidate);
        }

        int leftOut = Math.Max(0, asked.Count - MaxAddresses);
        if (leftOut > 0)
        {
            result.AddStep("Addresses", CheckStatus.Warning,
                $"{asked.Count} addresses: the first {MaxAddresses} are asked about; left out: {string.Join(", ", asked.Skip(MaxAddresses).Take(8).Select(c => c.Text))}{(leftOut > 8 ? $" and {leftOut - 8} more" : string.Empty)}");
            asked = asked.Take(MaxAddresses).ToList();
        }

        result.Addresses = new SummaryList<string>(asked.Select(c => c.Text));
        if (asked.Count == 0)
        {
            BlocklistRules.ConcludeWithoutAddress(result, skipped, hostsUnknown);
            return;
        }

        // Each zone's test entry 127.0.0.2 (RFC 5782 §5) beside the questions: a zone that does not
        // list it did not answer as a blocklist, and its "not listed" proves nothing. The querier
        // remembers answers, so a zone is tested once per invocation, not once per address.
        Task<BlocklistZoneTest[]> testing;
        Task<BlocklistProbe[]> asking;
        using (var gate = new SemaphoreSlim(MaxParallelQueries))
        {
            testing = Task.WhenAll(zones.Distinct(StringComparer.Ordinal).Select(z => TestZoneAsync(z, dns, gate, deadline)));
            asking = Task.WhenAll(asked.SelectMany(c => zones.Select(z => AskAsync(c, z, dns, gate, deadline))));
            await Task.WhenAll(testing, asking).ConfigureAwait(false);
        }

        var tests = new Dictionary<string, BlocklistZoneTest>(StringComparer.Ordinal);
        foreach (BlocklistZoneTest test in await testing.ConfigureAwait(false))
        {
            tests[test.Zone] = test;
            result.AddStep($"{test.Zone} test entry", test.Verified ? CheckStatus.Passed : CheckStatus.Warning, test.Detail, test.Lookup?.Duration ?? default);
        }

        IReadOnlyList<BlocklistProbe> probes = BlocklistRules.Verify(await asking.ConfigureAwait(false), tests);
        foreach (BlocklistProbe probe in probes)
        {
            result.AddStep($"{probe.Zone} {probe.Candidate.Text}", probe.Status, probe.Detail, probe.Lookup?.Duration ?? default);
        }

        string zoneList = string.Join(", ", zones);
        string passMessage = result.Addresses.Count == 1 && candidates.Count == 1 && candidates[0].MxHost == null && !candidates[0].Outbound
            ? Texts.Blocklist.Format("Passed_Address", result.Target, zoneList)
            : leftOut > 0
            ? Texts.Blocklist.Format("Passed_Domain_LeftOut", asked.Count, result.Target, zoneList, leftOut)
            : Texts.Blocklist.Format("Passed_Domain", asked.Count, result.Target, zoneList);
        BlocklistRules.Conclude(result, zones, probes, passMessage);
    }

    /// <summary>What the zone answers about its test entry 127.0.0.2 (RFC 5782 §5).</summary>
    private static async Task<BlocklistZoneTest> TestZoneAsync(string zone, DnsQuerier dns, SemaphoreSlim gate, CancellationToken deadline)
    {
        await gate.WaitAsync(deadline).ConfigureAwait(false);
        try
        {
            string name = BlocklistQuery.QueryName(IPAddress.Parse(BlocklistZoneTest.TestEntry), zone);
            DnsLookup lookup = await dns.QueryAsync(name, QueryType.A, deadline).ConfigureAwait(false);
            var addresses = lookup.Answers.OfType<ARecord>().Select(r => r.Address).Take(16).ToList();
            return new BlocklistZoneTest(zone, BlocklistQuery.Classify(zone, lookup.Outcome, addresses), lookup.Code) { Lookup = lookup };
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One zone's answer about one address, with the list's TXT reason when it lists it; adds the step.</summary>
    private static async Task<BlocklistProbe> AskAsync(BlocklistCandidate candidate, string zone, DnsQuerier dns, SemaphoreSlim gate, CancellationToken deadline)
    {
        await gate.WaitAsync(deadline).ConfigureAwait(false);
        try
        {
            string name = BlocklistQuery.QueryName(candidate.Address, zone);
            DnsLookup lookup = await dns.QueryAsync(name, QueryType.A, deadline).ConfigureAwait(false);
            var addresses = lookup.Answers.OfType<ARecord>().Select(r => r.Address).Take(16).ToList();
            BlocklistAnswer answer = BlocklistQuery.Classify(zone, lookup.Outcome, addresses);
            string? reason = null;
            if (answer.Verdict == BlocklistVerdict.Listed)
            {
                DnsLookup txt = await dns.QueryAsync(name, QueryType.TXT, deadline).ConfigureAwait(false);
                string? text = txt.Outcome == DnsOutcome.Answered ? DnsCheck.TxtRecords(txt).FirstOrDefault(t => t.Trim().Length > 0) : null;
                reason = text == null ? null : ServerText.Printable(text.Trim(), MaxReasonLength);
            }

            return new BlocklistProbe(candidate, zone, answer, reason, lookup.Code) { Lookup = lookup };
        }
        finally
        {
            gate.Release();
        }
    }
}
