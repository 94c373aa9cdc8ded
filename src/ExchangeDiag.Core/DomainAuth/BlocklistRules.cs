using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using ExchangeDiag.Checks;

namespace ExchangeDiag.DomainAuth;

/// <summary>An address to ask about, and where it comes from: an MX host, the sending addresses, or the user.</summary>
internal sealed class BlocklistCandidate
{
    public BlocklistCandidate(IPAddress address, string? mxHost, bool outbound = false)
    {
        Address = address;
        Text = address.ToString();
        MxHost = mxHost;
        Outbound = outbound;
    }

    public IPAddress Address { get; }

    public string Text { get; }

    public string? MxHost { get; }

    public bool Outbound { get; }

    /// <summary>The address for a message, naming its source in the UI culture.</summary>
    public string Label => MxHost != null ? Texts.Blocklist.Format("Label_MxHost", Text, MxHost)
        : Outbound ? Texts.Blocklist.Format("Label_Outbound", Text)
        : Text;
}

/// <summary>What one zone answered about one address.</summary>
internal sealed class BlocklistProbe
{
    public BlocklistProbe(BlocklistCandidate candidate, string zone, BlocklistAnswer answer, string? reason, string code)
    {
        Candidate = candidate;
        Zone = zone;
        Answer = answer;
        Reason = reason;
        Code = code;
    }

    public BlocklistCandidate Candidate { get; }

    public string Zone { get; }

    public BlocklistAnswer Answer { get; }

    public BlocklistVerdict Verdict => Answer.Verdict;

    /// <summary>The list's TXT text, already made printable and cut; null when none.</summary>
    public string? Reason { get; }

    /// <summary>The DNS response code or failure (NXDOMAIN, REFUSED, no answer (timeout)).</summary>
    public string Code { get; }

    /// <summary>The A lookup, for the step; null in the rules' tests.</summary>
    public Dns.DnsLookup? Lookup { get; set; }

    /// <summary>The zone's test entry, when it made this answer <see cref="BlocklistVerdict.Unverified"/>; null otherwise.</summary>
    public BlocklistZoneTest? ZoneTest { get; private set; }

    /// <summary>This "not listed" answer, marked as proving nothing because the zone failed its test.</summary>
    internal BlocklistProbe Unverified(BlocklistZoneTest test)
        => new BlocklistProbe(Candidate, Zone, new BlocklistAnswer(BlocklistVerdict.Unverified, Answer.Codes, null), Reason, Code) { Lookup = Lookup, ZoneTest = test };

    /// <summary>The step's status: a listing Failed, an answer that tells nothing a Warning.</summary>
    public CheckStatus Status => Verdict switch
    {
        BlocklistVerdict.NotListed => CheckStatus.Passed,
        BlocklistVerdict.Listed => CheckStatus.Failed,
        _ => CheckStatus.Warning,
    };

    /// <summary>The step's English trace: the lookup, the verdict, the codes and the reason.</summary>
    public string Detail
        => $"{Candidate.Text}: {(Lookup?.ToString() ?? Code)}; {Verdict}"
            + (Answer.Codes.Count == 0 ? string.Empty : $" ({string.Join(", ", Answer.Codes)})")
            + (Reason == null ? string.Empty : $", reason: {Reason}")
            + (ZoneTest == null ? string.Empty : $", not trusted: the zone's test entry {BlocklistZoneTest.TestEntry} is not listed ({ZoneTest.What})");
}

/// <summary>
/// What a zone answered about its test entry 127.0.0.2, which RFC 5782 §5 has every list hold: a
/// zone that does not list it did not answer as a blocklist, and its "not listed" proves nothing.
/// </summary>
internal sealed class BlocklistZoneTest
{
    /// <summary>The address every DNS blocklist lists (RFC 5782 §5).</summary>
    public const string TestEntry = "127.0.0.2";

    public BlocklistZoneTest(string zone, BlocklistAnswer answer, string code)
    {
        Zone = zone;
        Answer = answer;
        Code = code;
    }

    public string Zone { get; }

    public BlocklistAnswer Answer { get; }

    /// <summary>The DNS response code or failure of the test entry's lookup.</summary>
    public string Code { get; }

    /// <summary>The lookup, for the step; null in the rules' tests.</summary>
    public Dns.DnsLookup? Lookup { get; set; }

    /// <summary>True when the zone lists its test entry: its "not listed" answers can be trusted.</summary>
    public bool Verified => Answer.Verdict == BlocklistVerdict.Listed;

    /// <summary>The answer in a few English words, for the trace: NXDOMAIN, refused (127.255.255.254), answer 192.0.2.1...</summary>
    public string What => WhatIn(CultureInfo.InvariantCulture);

    /// <summary>The answer in a few words of <paramref name="culture"/>, for a message.</summary>
    public string WhatIn(CultureInfo culture) => Answer.Verdict switch
    {
        BlocklistVerdict.Refused => Texts.Blocklist.Format(culture, "Answer_Refused", string.Join(", ", Answer.Codes)),
        BlocklistVerdict.Unexpected => Texts.Blocklist.Format(culture, "Answer_Other", string.Join(", ", Answer.Codes)),
        BlocklistVerdict.Listed => Texts.Blocklist.Format(culture, "Answer_Listed", string.Join(", ", Answer.Codes)),
        _ => Lookup?.Said.In(culture) ?? Code,
    };

    /// <summary>The step's English trace.</summary>
    public string Detail
        => $"{(Lookup?.ToString() ?? Code)}; {What}: "
            + (Verified
                ? "the zone answers as a blocklist (RFC 5782 section 5)"
                : "the zone does not list its test entry, so its \"not listed\" answers are not trusted");
}

/// <summary>Turns the blocklists' answers into the result's listings and conclusion. No DNS here.</summary>
internal static class BlocklistRules
{
    private const int AddressesNamed = 3;

    /// <summary>
    /// The answers as they can be trusted: a "not listed" from a zone that does not list its test
    /// entry 127.0.0.2 becomes <see cref="BlocklistVerdict.Unverified"/> (the check tests every zone it asks).
    /// Listings are kept: an answer with a listing code is evidence whatever the test entry says.
    /// </summary>
    public static IReadOnlyList<BlocklistProbe> Verify(IReadOnlyList<BlocklistProbe> probes, IReadOnlyDictionary<string, BlocklistZoneTest> tests)
        => probes.Select(p => p.Verdict == BlocklistVerdict.NotListed && tests.TryGetValue(p.Zone, out BlocklistZoneTest? test) && !test.Verified
            ? p.Unverified(test)
            : p).ToList();

    /// <summary>
    /// A listing is Failed (Blocklisted), except a Spamhaus PBL listing alone of an MX host's address
    /// that is not a sending address: a Warning (Blocklisted), since the PBL only concerns mail sent
    /// directly from end-user ranges. A refusal, an answer that is no listing code, no answer from a
    /// zone, or "not listed" from a zone that does not list its test entry is a Warning for that
    /// zone, never a listing nor a "not listed": public lists refuse public resolvers, and a resolver
    /// can rewrite NXDOMAIN or answer it for every name. When no zone gave a usable answer about any
    /// address, whether the addresses are listed is unknown: a Warning (Cause None), not an Error of
    /// the domain's DNS.
    /// </summary>
    public static void Conclude(BlocklistCheckResult result, IReadOnlyList<string> zones, IReadOnlyList<BlocklistProbe> probes, string passMessage)
    {
        var verdict = new Verdict();
        foreach (BlocklistProbe probe in probes.Where(p => p.Verdict == BlocklistVerdict.Listed))
        {
            string answer = string.Join(", ", probe.Answer.Codes);
            result.Listings.Add(new BlocklistListing(probe.Candidate.Text, probe.Zone, answer, probe.Answer.Meaning, probe.Reason));
            string what = probe.Answer.Meaning ?? Texts.Blocklist.Format("Listed_Code", answer);
            if (probe.Candidate.MxHost != null && !probe.Candidate.Outbound && BlocklistZones.IsPolicyListingOnly(probe.Zone, probe.Answer.Codes))
            {
                // The PBL lists end-user ranges that should not send to MX hosts directly: an MX host
                // there that receives mail, and sends through a smarthost, is correct and common.
                verdict.Add(CheckStatus.Warning, DiagnosticCause.Blocklisted,
                    Texts.Blocklist.Format("Listed_PolicyMx", probe.Candidate.Label, probe.Zone, what),
                    Texts.Blocklist.Format("Listed_PolicyMx_Remediation", probe.Candidate.Text));
                continue;
            }

            string message = probe.Reason == null
                ? Texts.Blocklist.Format("Listed", probe.Candidate.Label, probe.Zone, what)
                : Texts.Blocklist.Format("Listed_Reason", probe.Candidate.Label, probe.Zone, what, probe.Reason);
            verdict.Add(CheckStatus.Failed, DiagnosticCause.Blocklisted, message,
                Texts.Blocklist.Format("Listed_Remediation", probe.Candidate.Text, BlocklistZones.Removal(probe.Zone)));
        }

        foreach (string zone in zones)
        {
            AddZoneWarning(verdict, probes, zone, BlocklistVerdict.Refused, p => Texts.Blocklist.Format("Zone_Refused", zone, Addresses(p), p[0].Answer.Codes[0], p[0].Answer.Meaning), "Zone_Refused_Remediation");
            AddZoneWarning(verdict, probes, zone, BlocklistVerdict.Unexpected, p => Texts.Blocklist.Format("Zone_Unexpected", zone, Addresses(p), string.Join(", ", p[0].Answer.Codes)), "Zone_Unexpected_Remediation");
            AddZoneWarning(verdict, probes, zone, BlocklistVerdict.CouldNotAsk, p => Texts.Blocklist.Format("Zone_CouldNotAsk", zone, Addresses(p), p[0].Lookup?.Said.ToString() ?? p[0].Code), "Zone_CouldNotAsk_Remediation");
            AddZoneWarning(verdict, probes, zone, BlocklistVerdict.Unverified, p => Texts.Blocklist.Format("Zone_Unverified", zone, Addresses(p), BlocklistZoneTest.TestEntry, p[0].ZoneTest!.WhatIn(CultureInfo.CurrentUICulture)), "Zone_Unverified_Remediation");
        }

        result.Observed = result.Listings.Count > 0 ? result.Listings.ToString() : Texts.Blocklist["ObservedNotListed"];
        bool known = probes.Any(p => p.Verdict == BlocklistVerdict.NotListed || p.Verdict == BlocklistVerdict.Listed);
        if (known)
        {
            verdict.ApplyTo(result, passMessage);
            return;
        }

        foreach (Verdict.Finding finding in verdict.Findings)
        {
            result.AddStep("Finding", finding.Status, finding.Message);
        }

        result.Observed = Texts.Blocklist["ObservedUnknown"];
        string why = string.Join("; ", zones.Select(z => $"{z}: {string.Join(", ", probes.Where(p => p.Zone == z).Select(Why).Distinct())}"));
        // Not DnsUnavailable: that cause says the domain's own DNS failed, and here only the lists
        // (or the resolver's way with them) did not answer. Nothing is wrong that is known.
        result.Conclude(CheckStatus.Warning, DiagnosticCause.None,
            Texts.Blocklist.Format("NoneAnswered", result.Target, why),
            Texts.Blocklist["NoneAnswered_Remediation"]);
    }

    /// <summary>
    /// Nothing to ask about: every address is private (Passed, nothing a public list can hold);
    /// no address found because DNS failed (Error); or no address at all (Warning).
    /// </summary>
    public static void ConcludeWithoutAddress(BlocklistCheckResult result, IReadOnlyList<string> skipped, bool hostsUnknown)
    {
        result.Observed = Texts.Blocklist["ObservedNoAddress"];
        if (skipped.Count > 0)
        {
            result.Conclude(CheckStatus.Passed, DiagnosticCause.None, Texts.Blocklist.Format("NothingPublic", result.Target, Join(skipped)), null);
        }
        else if (hostsUnknown)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.DnsUnavailable, Texts.Blocklist.Format("NoAddress_Unknown", result.Target), Texts.Blocklist["NoAddress_Unknown_Remediation"]);
        }
        else
        {
            result.Conclude(CheckStatus.Warning, DiagnosticCause.None, Texts.Blocklist.Format("NoAddress", result.Target), Texts.Blocklist["NoAddress_Remediation"]);
        }
    }

    private static void AddZoneWarning(Verdict verdict, IReadOnlyList<BlocklistProbe> probes, string zone, BlocklistVerdict kind, Func<IReadOnlyList<BlocklistProbe>, string> message, string remediationKey)
    {
        var matching = probes.Where(p => p.Zone == zone && p.Verdict == kind).ToList();
        if (matching.Count > 0)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.None, message(matching), Texts.Blocklist.Format(remediationKey, zone));
        }
    }

    private static string Why(BlocklistProbe probe) => probe.Verdict switch
    {
        BlocklistVerdict.Refused => Texts.Blocklist.Format("Answer_Refused", probe.Answer.Codes[0]),
        BlocklistVerdict.Unexpected => Texts.Blocklist.Format("Answer_Unexpected", string.Join(", ", probe.Answer.Codes)),
        BlocklistVerdict.Unverified => Texts.Blocklist.Format("Answer_TestEntryNotListed", BlocklistZoneTest.TestEntry, probe.ZoneTest!.WhatIn(CultureInfo.CurrentUICulture)),
        _ => probe.Lookup?.Said.ToString() ?? probe.Code,
    };

    private static string Addresses(IReadOnlyList<BlocklistProbe> probes) => Join(probes.Select(p => p.Candidate.Text).Distinct().ToList());

    /// <summary>Up to three addresses, then how many more.</summary>
    private static string Join(IReadOnlyList<string> addresses)
        => addresses.Count <= AddressesNamed
            ? string.Join(", ", addresses)
            : Texts.Blocklist.Format("AndMore", string.Join(", ", addresses.Take(AddressesNamed)), addresses.Count - AddressesNamed);
}
