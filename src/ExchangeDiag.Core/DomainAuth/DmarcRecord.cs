using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>A DMARC policy record (RFC 7489 §6.3 and §6.4, with DMARCbis's np= and psd=) as a receiver reads it.</summary>
internal sealed class DmarcRecord
{
    /// <summary>The longest record read; real ones are under 300 characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>The most URIs read from one rua= or ruf= tag.</summary>
    public const int MaxUris = 10;

    private static readonly Regex Version = new Regex(@"^[ \t]*[vV][ \t]*=[ \t]*DMARC1[ \t]*(;|$)", RegexOptions.CultureInvariant);
    private static readonly Regex Scheme = new Regex(@"^[A-Za-z][A-Za-z0-9+.\-]*:", RegexOptions.CultureInvariant);
    private static readonly Regex Size = new Regex(@"![0-9]+[kmgtKMGT]?$", RegexOptions.CultureInvariant);
    private static readonly Regex Digits = new Regex(@"^[0-9]{1,10}$", RegexOptions.CultureInvariant);

    private readonly List<string> _errors = new List<string>();
    private readonly List<string> _warnings = new List<string>();
    private readonly List<DmarcUri> _aggregate = new List<DmarcUri>();
    private readonly List<DmarcUri> _forensic = new List<DmarcUri>();

    private DmarcRecord()
    {
    }

    /// <summary>Why receivers discard the record (RFC 7489 §6.6.3: no v=DMARC1 first, p= missing or invalid); empty when they apply it.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Mistakes receivers pass over while applying the policy (a stray segment, a repeated tag, a bad
    /// report address or optional tag): the reports, or the option, are lost, not the policy.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Why sp= is unusable; null when it is absent or valid. Receivers then discard the record for subdomains only.</summary>
    public string? SubdomainPolicyError { get; private set; }

    /// <summary>True when receivers apply the record to the domain itself.</summary>
    public bool IsValid => _errors.Count == 0;

    /// <summary>p=: none, quarantine or reject; null when missing or not one of them.</summary>
    public string? Policy { get; private set; }

    /// <summary>sp=: the policy for subdomains; null when absent (p= then applies).</summary>
    public string? SubdomainPolicy { get; private set; }

    /// <summary>np= (DMARCbis): the policy for subdomains that do not exist; null when absent.</summary>
    public string? NonExistentPolicy { get; private set; }

    /// <summary>pct=: the share of failing mail the policy applies to; 100 when absent.</summary>
    public int Percentage { get; private set; } = 100;

    /// <summary>adkim=: relaxed (default) or strict.</summary>
    public string DkimAlignment { get; private set; } = "relaxed";

    /// <summary>aspf=: relaxed (default) or strict.</summary>
    public string SpfAlignment { get; private set; } = "relaxed";

    /// <summary>psd= (DMARCbis): y, n or null.</summary>
    public string? PublicSuffix { get; private set; }

    /// <summary>rua=: where aggregate reports go.</summary>
    public IReadOnlyList<DmarcUri> AggregateUris => _aggregate;

    /// <summary>ruf=: where failure (forensic) reports go.</summary>
    public IReadOnlyList<DmarcUri> ForensicUris => _forensic;

    /// <summary>True when the text is a DMARC record at all: it starts with v=DMARC1 (RFC 7489 §6.6.3); others are ignored.</summary>
    public static bool IsDmarc(string text) => Version.IsMatch(text.Length > 64 ? text.Substring(0, 64) : text);

    public static DmarcRecord Parse(string text)
    {
        var record = new DmarcRecord();
        record.Read(text);
        return record;
    }

    private void Read(string text)
    {
        if (!IsDmarc(text))
        {
            _errors.Add(Texts.Dmarc["Record_NoVersion"]);
            return;
        }

        if (text.Length > MaxLength)
        {
            _errors.Add(Texts.Dmarc.Format("Record_TooLong", text.Length, MaxLength));
            return;
        }

        // RFC 7489 §6.6.3: receivers discard a record only when its policy is unusable; a stray segment,
        // a repeated tag, a bad report address or optional tag costs the reports, not the policy.
        List<KeyValuePair<string, string>> tags = TagList.ParseAll(text, _warnings);

        // Tag names are case-insensitive in the ABNF; the record's own spelling is kept in messages.
        string? Get(string name) => tags.Where(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase)).Select(t => t.Value).FirstOrDefault();

        foreach (IGrouping<string, KeyValuePair<string, string>> twice in tags.GroupBy(t => t.Key.ToLowerInvariant()).Where(g => g.Count() > 1))
        {
            bool differ = twice.Select(t => t.Value.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Count() > 1;
            string tag = TagList.Show(twice.First().Key);
            if (differ && twice.Key == "p")
            {
                _errors.Add(Texts.Dmarc.Format("Record_TwiceDiffering", tag));
            }
            else if (differ && twice.Key == "sp")
            {
                SubdomainPolicyError = Texts.Dmarc.Format("Record_TwiceDiffering", tag);
            }
            else
            {
                _warnings.Add(Texts.Messages.Format("Tags_Twice", tag));
            }
        }

        string? p = Get("p");
        if (p == null)
        {
            _errors.Add(Texts.Dmarc["Record_NoPolicy"]);
        }
        else if (!_errors.Any())
        {
            Policy = ReadPolicy("p", p, _errors);
        }

        string? sp = Get("sp");
        if (sp != null && SubdomainPolicyError == null)
        {
            var spErrors = new List<string>();
            SubdomainPolicy = ReadPolicy("sp", sp, spErrors);
            SubdomainPolicyError = spErrors.FirstOrDefault();
        }

        string? np = Get("np");
        NonExistentPolicy = np == null ? null : ReadPolicy("np", np, _warnings);
        DkimAlignment = ReadAlignment("adkim", Get("adkim"));
        SpfAlignment = ReadAlignment("aspf", Get("aspf"));

        string? pct = Get("pct");
        if (pct != null)
        {
            if (Digits.IsMatch(pct.Trim()) && long.Parse(pct.Trim(), System.Globalization.CultureInfo.InvariantCulture) <= 100)
            {
                Percentage = int.Parse(pct.Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                _warnings.Add(Texts.Dmarc.Format("Record_BadPct", TagList.Show(pct)));
            }
        }

        ReadUris("rua", Get("rua"), _aggregate);
        ReadUris("ruf", Get("ruf"), _forensic);

        string? fo = Get("fo");
        if (fo != null && fo.Split(':').Select(o => o.Trim()).Any(o => o != "0" && o != "1" && o != "d" && o != "s"))
        {
            _warnings.Add(Texts.Dmarc.Format("Record_BadFo", TagList.Show(fo)));
        }

        string? rf = Get("rf");
        if (rf != null && rf.Split(':').Select(o => o.Trim()).Any(o => o.Length == 0 || !o.All(char.IsLetterOrDigit)))
        {
            _warnings.Add(Texts.Dmarc.Format("Record_BadRf", TagList.Show(rf)));
        }

        string? ri = Get("ri");
        if (ri != null && (!Digits.IsMatch(ri.Trim()) || long.Parse(ri.Trim(), System.Globalization.CultureInfo.InvariantCulture) > uint.MaxValue))
        {
            _warnings.Add(Texts.Dmarc.Format("Record_BadRi", TagList.Show(ri)));
        }

        string? psd = Get("psd");
        PublicSuffix = psd == "y" || psd == "n" ? psd : null;
    }

    private static string? ReadPolicy(string tag, string value, List<string> errors)
    {
        string policy = value.Trim().ToLowerInvariant();
        if (policy == "none" || policy == "quarantine" || policy == "reject")
        {
            return policy;
        }

        errors.Add(Texts.Dmarc.Format("Record_BadPolicy", tag, TagList.Show(value)));
        return null;
    }

    private string ReadAlignment(string tag, string? value)
    {
        string mode = (value ?? "r").Trim().ToLowerInvariant();
        if (mode == "r" || mode == "s")
        {
            return mode == "s" ? "strict" : "relaxed";
        }

        _warnings.Add(Texts.Dmarc.Format("Record_BadAlignment", tag, TagList.Show(value!)));
        return "relaxed";
    }

    private void ReadUris(string tag, string? value, List<DmarcUri> into)
    {
        if (value == null)
        {
            return;
        }

        foreach (string raw in value.Split(',').Select(u => u.Trim()).Take(MaxUris))
        {
            if (raw.Length == 0 || !Scheme.IsMatch(raw))
            {
                _warnings.Add(Texts.Dmarc.Format("Record_NotUri", tag, TagList.Show(raw)));
                continue;
            }

            if (!raw.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                into.Add(new DmarcUri(tag, raw, null, null));
                continue;
            }

            string address = Size.Replace(raw.Substring("mailto:".Length), string.Empty);
            int at = address.LastIndexOf('@');
            string? domain = at > 0 ? DomainName.TryNormalize(Uri.UnescapeDataString(address.Substring(at + 1)), out _) : null;
            if (domain == null || address.Contains("!"))
            {
                _warnings.Add(Texts.Dmarc.Format("Record_NotMailto", tag, TagList.Show(raw)));
                continue;
            }

            into.Add(new DmarcUri(tag, raw, address, domain));
        }
    }
}

/// <summary>One rua= or ruf= destination.</summary>
internal sealed class DmarcUri
{
    public DmarcUri(string tag, string uri, string? address, string? domain)
    {
        Tag = tag;
        Uri = uri;
        Address = address;
        Domain = domain;
    }

    /// <summary>rua or ruf.</summary>
    public string Tag { get; }

    /// <summary>The URI as published.</summary>
    public string Uri { get; }

    /// <summary>The mailbox of a mailto: URI; null for other schemes, which receivers do not send to.</summary>
    public string? Address { get; }

    /// <summary>The mailbox's domain in DNS form; null for other schemes.</summary>
    public string? Domain { get; }

    public bool IsMailto => Address != null;
}
