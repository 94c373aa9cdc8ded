using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>
/// The DNS blocklists asked when none is named, and what their answers mean.
/// Sources: Spamhaus, "Available zones" (docs.spamhaus.com, datasets/040-zones) and the ZEN page
/// (spamhaus.org/zen): zen = SBL + XBL + PBL, 127.0.0.2 SBL, .3 SBL CSS, .4 XBL (.5-.7 unused),
/// .9 DROP, .10 PBL (ISP), .11 PBL (Spamhaus), .30 BCL; 127.255.255.252 typing error in the list
/// name, .254 query through a public or open resolver, .255 excessive queries. Free for
/// low-volume, non-commercial use, and only through a resolver of one's own.
/// SpamCop (spamcop.net/bl.shtml): bl.spamcop.net, one code (127.0.0.2), free; an entry expires
/// 24 hours after the last report. Left out: lists that need registration or a key (Barracuda
/// b.barracudacentral.org, Spamhaus DQS) and lists that charge for delisting.
/// </summary>
public static class BlocklistZones
{
    /// <summary>The zones Test-ExchangeBlocklist asks without -Zone.</summary>
    public static IReadOnlyList<string> Default { get; } = new[] { "zen.spamhaus.org", "bl.spamcop.net" };

    /// <summary>True for a zone run by Spamhaus whose codes are those of ZEN (sbl, xbl, pbl, sbl-xbl, zen).</summary>
    internal static bool IsSpamhaus(string zone)
        => zone is "zen.spamhaus.org" or "sbl.spamhaus.org" or "xbl.spamhaus.org" or "pbl.spamhaus.org" or "sbl-xbl.spamhaus.org";

    internal static bool IsSpamCop(string zone) => zone == "bl.spamcop.net";

    /// <summary>The meaning of a listing code in this zone, in the UI culture; null when the zone does not document it.</summary>
    internal static string? Meaning(string zone, byte[] code)
    {
        if (code.Length != 4 || code[0] != 127 || code[1] != 0 || code[2] != 0)
        {
            return null;
        }

        if (IsSpamCop(zone))
        {
            return code[3] == 2 ? Texts.Blocklist["Meaning_SpamCop"] : null;
        }

        if (!IsSpamhaus(zone))
        {
            return null;
        }

        string? key = code[3] switch
        {
            2 => "Meaning_Sbl",
            3 => "Meaning_Css",
            4 or 5 or 6 or 7 => "Meaning_Xbl",
            9 => "Meaning_Drop",
            10 => "Meaning_PblIsp",
            11 => "Meaning_PblSpamhaus",
            30 => "Meaning_Bcl",
            _ => null,
        };
        return key == null ? null : Texts.Blocklist[key];
    }

    /// <summary>
    /// True when every code is a Spamhaus PBL code (127.0.0.10, 127.0.0.11) of a Spamhaus zone: a
    /// policy listing of end-user ranges that should not send to MX hosts directly, not a spam report.
    /// </summary>
    internal static bool IsPolicyListingOnly(string zone, IReadOnlyCollection<string> codes)
        => IsSpamhaus(zone) && codes.Count > 0 && codes.All(c => c is "127.0.0.10" or "127.0.0.11");

    /// <summary>True for a code the zone documents as a listing outside RFC 5782's usual 127.0.0.2-127.0.0.11.</summary>
    internal static bool IsDocumentedListing(string zone, byte[] code)
        => IsSpamhaus(zone) && code.Length == 4 && code[0] == 127 && code[1] == 0 && code[2] == 0 && code[3] == 30;

    /// <summary>Why a list refused a query (127.255.255.x, Spamhaus's error codes), in the UI culture.</summary>
    internal static string RefusalMeaning(byte last) => last switch
    {
        252 => Texts.Blocklist["Refusal_Typo"],
        254 => Texts.Blocklist["Refusal_PublicResolver"],
        255 => Texts.Blocklist["Refusal_Excessive"],
        _ => Texts.Blocklist["Refusal_Other"],
    };

    /// <summary>How an address leaves this zone, as the end of the remediation, in the UI culture.</summary>
    internal static string Removal(string zone)
        => IsSpamhaus(zone) ? Texts.Blocklist["Removal_Spamhaus"]
            : IsSpamCop(zone) ? Texts.Blocklist["Removal_SpamCop"]
            : Texts.Blocklist.Format("Removal_Generic", zone);
}
