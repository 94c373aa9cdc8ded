using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>What one blocklist's answer about one address means.</summary>
internal enum BlocklistVerdict
{
    /// <summary>NXDOMAIN (or no A record): the address is not listed.</summary>
    NotListed,

    /// <summary>A listing code, 127.0.0.2-127.0.0.11 (RFC 5782 §2.3), or one the zone documents.</summary>
    Listed,

    /// <summary>127.255.255.x: the list refused the query (Spamhaus: public resolver, typo, too many queries).</summary>
    Refused,

    /// <summary>An answer that is no listing code: a resolver that rewrites NXDOMAIN, or a code outside the range.</summary>
    Unexpected,

    /// <summary>DNS did not answer (timeout, SERVFAIL, REFUSED, malformed): nothing is known.</summary>
    CouldNotAsk,

    /// <summary>
    /// "Not listed" from a zone that does not list its own test entry 127.0.0.2 (RFC 5782 §5): the
    /// zone did not answer as a blocklist (a resolver that answers NXDOMAIN for everything), so the
    /// answer proves nothing. Set by <see cref="BlocklistRules.Verify"/>, never by Classify.
    /// </summary>
    Unverified,
}

/// <summary>The classification of one answer: the verdict, the codes it rests on and their meaning.</summary>
internal sealed class BlocklistAnswer
{
    public BlocklistAnswer(BlocklistVerdict verdict, IReadOnlyList<string> codes, string? meaning)
    {
        Verdict = verdict;
        Codes = codes;
        Meaning = meaning;
    }

    public BlocklistVerdict Verdict { get; }

    /// <summary>The A records the verdict rests on, such as 127.0.0.2; empty when there were none.</summary>
    public IReadOnlyList<string> Codes { get; }

    /// <summary>What the codes mean in the UI culture, where the zone documents them; null otherwise.</summary>
    public string? Meaning { get; }
}

/// <summary>The DNSBL protocol of RFC 5782: addresses to query names, answers to verdicts. No DNS here.</summary>
internal static class BlocklistQuery
{
    /// <summary>
    /// An IP address written in full: four decimal octets, or IPv6 without a zone index. .NET would
    /// also take "1" or "1.2" or "0x7f.1" as IPv4, which nobody means as an address to check.
    /// </summary>
    public static IPAddress? TryParseAddress(string? input, out string? why)
    {
        string text = (input ?? string.Empty).Trim();
        why = null;
        if (text.Length == 0)
        {
            why = "it is empty";
            return null;
        }

        if (text.IndexOf(':') >= 0)
        {
            if (text.IndexOf('%') < 0 && text.Length <= 45 && IPAddress.TryParse(text, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
            {
                return v6;
            }

            why = "it is not an IPv6 address";
            return null;
        }

        string[] octets = text.Split('.');
        var bytes = new byte[4];
        if (octets.Length != 4)
        {
            why = "an IPv4 address has four numbers separated by dots";
            return null;
        }

        for (int i = 0; i < 4; i++)
        {
            string octet = octets[i];
            if (octet.Length == 0 || octet.Length > 3 || !octet.All(c => c >= '0' && c <= '9')
                || !byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                why = "each number of an IPv4 address is from 0 to 255";
                return null;
            }
        }

        return new IPAddress(bytes);
    }

    /// <summary>
    /// The name to ask: the four octets reversed for IPv4 (RFC 5782 §2.1, 192.0.2.99 in bad.example.com
    /// is 99.2.0.192.bad.example.com), the 32 nibbles reversed for IPv6 (§2.4).
    /// </summary>
    public static string QueryName(IPAddress address, string zone)
    {
        byte[] bytes = address.GetAddressBytes();
        var name = new StringBuilder(80 + zone.Length);
        for (int i = bytes.Length - 1; i >= 0; i--)
        {
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                name.Append(bytes[i].ToString(CultureInfo.InvariantCulture)).Append('.');
            }
            else
            {
                name.Append("0123456789abcdef"[bytes[i] & 0xF]).Append('.').Append("0123456789abcdef"[bytes[i] >> 4]).Append('.');
            }
        }

        return name.Append(zone).ToString();
    }

    /// <summary>
    /// Why an address is not worth asking a blocklist about (English, for the trace), or null when it is.
    /// 127.0.0.0/8 is always asked: RFC 5782 §5 has every list hold 127.0.0.2 and never 127.0.0.1,
    /// which is how a zone is tested (and how the lab tests this check). Other addresses no public
    /// network routes (private, shared, link-local, multicast, reserved) cannot send mail across the
    /// Internet, and no public list holds them: asking would only leak the network's layout.
    /// </summary>
    public static string? NotPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return NotPublic(address.MapToIPv4());
        }

        byte[] b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] switch
            {
                127 => null,
                0 => "\"this network\" (0.0.0.0/8)",
                10 => "private (RFC 1918)",
                100 when b[1] >= 64 && b[1] <= 127 => "shared address space (RFC 6598)",
                169 when b[1] == 254 => "link-local",
                172 when b[1] >= 16 && b[1] <= 31 => "private (RFC 1918)",
                192 when b[1] == 168 => "private (RFC 1918)",
                >= 224 and <= 239 => "multicast",
                >= 240 => "reserved",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6None))
        {
            return "unspecified (::)";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback (::1)";
        }

        return (b[0] & 0xFE) == 0xFC ? "unique local (RFC 4193)"
            : b[0] == 0xFE && (b[1] & 0xC0) == 0x80 ? "link-local"
            : b[0] == 0xFF ? "multicast"
            : null;
    }

    /// <summary>
    /// What a lookup of <see cref="QueryName"/> in <paramref name="zone"/> says. A refusal
    /// (127.255.255.x) outranks a listing in the same answer: such a list answers no question.
    /// </summary>
    public static BlocklistAnswer Classify(string zone, DnsOutcome outcome, IReadOnlyList<IPAddress> answers)
    {
        if (outcome == DnsOutcome.NameError)
        {
            return new BlocklistAnswer(BlocklistVerdict.NotListed, new string[0], null);
        }

        if (outcome != DnsOutcome.Answered)
        {
            return new BlocklistAnswer(BlocklistVerdict.CouldNotAsk, new string[0], null);
        }

        if (answers.Count == 0)
        {
            // NOERROR without an A record: the name exists (a TXT alone) but lists nothing.
            return new BlocklistAnswer(BlocklistVerdict.NotListed, new string[0], null);
        }

        var refusals = answers.Where(IsRefusal).ToList();
        if (refusals.Count > 0)
        {
            byte last = refusals[0].GetAddressBytes()[3];
            return new BlocklistAnswer(BlocklistVerdict.Refused, CodesOf(refusals), BlocklistZones.RefusalMeaning(last));
        }

        var listings = answers.Where(a => IsListing(zone, a)).ToList();
        if (listings.Count > 0)
        {
            var meanings = listings.Select(a => BlocklistZones.Meaning(zone, a.GetAddressBytes())).Where(m => m != null).Distinct().ToList();
            return new BlocklistAnswer(BlocklistVerdict.Listed, CodesOf(listings), meanings.Count == 0 ? null : string.Join("; ", meanings));
        }

        return new BlocklistAnswer(BlocklistVerdict.Unexpected, CodesOf(answers), null);
    }

    private static bool IsRefusal(IPAddress answer)
    {
        byte[] b = answer.GetAddressBytes();
        return b.Length == 4 && b[0] == 127 && b[1] == 255 && b[2] == 255;
    }

    private static bool IsListing(string zone, IPAddress answer)
    {
        byte[] b = answer.GetAddressBytes();
        return b.Length == 4 && ((b[0] == 127 && b[1] == 0 && b[2] == 0 && b[3] >= 2 && b[3] <= 11) || BlocklistZones.IsDocumentedListing(zone, b));
    }

    private static IReadOnlyList<string> CodesOf(IEnumerable<IPAddress> answers)
        => answers.Select(a => a.ToString()).Distinct().Take(8).ToList();
}
