using System;

namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeBlocklist for one domain (its MX and sending addresses) or one address.</summary>
public sealed class BlocklistCheckResult : CheckResult
{
    internal BlocklistCheckResult(string target)
        : base("Blocklist", target)
    {
    }

    /// <summary>The addresses asked about, MX hosts' first, then sending addresses.</summary>
    public SummaryList<string> Addresses { get; internal set; } = new SummaryList<string>();

    /// <summary>The blocklists (DNSBL zones) asked.</summary>
    public SummaryList<string> Zones { get; internal set; } = new SummaryList<string>();

    /// <summary>Each address a blocklist lists, one entry per list.</summary>
    public SummaryList<BlocklistListing> Listings { get; } = new SummaryList<BlocklistListing>();

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Listings.ReplaceAll(listing => listing.WithReason(CleanOrNull(listing.Reason, clean)));
    }
}

/// <summary>One address on one blocklist.</summary>
public sealed class BlocklistListing
{
    internal BlocklistListing(string address, string zone, string answer, string? meaning, string? reason)
    {
        Address = address;
        Zone = zone;
        Answer = answer;
        Meaning = meaning;
        Reason = reason;
    }

    public string Address { get; }

    /// <summary>The blocklist, such as zen.spamhaus.org.</summary>
    public string Zone { get; }

    /// <summary>The listing code(s) the list answered, such as 127.0.0.2.</summary>
    public string Answer { get; }

    /// <summary>What the code means, where the list documents it (Spamhaus SBL, XBL, PBL...); null otherwise.</summary>
    public string? Meaning { get; }

    /// <summary>The list's own TXT text about the listing, shown safely and cut; null when it gave none.</summary>
    public string? Reason { get; }

    internal BlocklistListing WithReason(string? reason) => new BlocklistListing(Address, Zone, Answer, Meaning, reason);

    public override string ToString() => $"{Address} on {Zone}: {Answer}" + (Meaning == null ? string.Empty : $" ({Meaning})");
}
