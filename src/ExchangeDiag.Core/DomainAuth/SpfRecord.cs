using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace ExchangeDiag.DomainAuth;

/// <summary>The kinds of SPF term (RFC 7208 §5 and §6).</summary>
internal enum SpfTermKind
{
    All,
    Include,
    A,
    Mx,
    Ptr,
    Ip4,
    Ip6,
    Exists,
    Redirect,
    Exp,

    /// <summary>A modifier RFC 7208 does not define: kept, and ignored by receivers (§6).</summary>
    UnknownModifier,
}

/// <summary>Why a term breaks the grammar of RFC 7208 §12; any of them is a PermError at receivers.</summary>
internal enum SpfSyntaxError
{
    UnknownMechanism,
    UnexpectedArgument,
    MissingDomain,
    BadDomain,
    BadMacro,
    MacroLetterOnlyInExplanation,
    BadIp4,
    BadIp6,
    BadCidr,
    DuplicateModifier,
    BadModifierName,
    BadCharacter,
    TooLong,
    TooManyTerms,
}

/// <summary>One term of an SPF record, as parsed.</summary>
internal sealed class SpfTerm
{
    public SpfTerm(string text, SpfTermKind kind, char qualifier, string name, string? domainSpec, string? value, int? cidr4, int? cidr6, bool hasMacro)
    {
        Text = text;
        Kind = kind;
        Qualifier = qualifier;
        Name = name;
        DomainSpec = domainSpec;
        Value = value;
        Cidr4 = cidr4;
        Cidr6 = cidr6;
        HasMacro = hasMacro;
    }

    /// <summary>The term as written in the record.</summary>
    public string Text { get; }

    public SpfTermKind Kind { get; }

    /// <summary>'+', '-', '~' or '?' for a mechanism ('+' when none is written); '\0' for a modifier.</summary>
    public char Qualifier { get; }

    /// <summary>The mechanism or modifier name in lower case: "include", "redirect", "ip4".</summary>
    public string Name { get; }

    /// <summary>The domain-spec of include, a, mx, ptr, exists, redirect and exp; null when the term names none.</summary>
    public string? DomainSpec { get; }

    /// <summary>Everything after the name and its ':' or '=' separator (or the CIDR lengths of "a/24"); null when nothing follows.</summary>
    public string? Value { get; }

    public int? Cidr4 { get; }

    public int? Cidr6 { get; }

    /// <summary>True when the domain-spec holds a macro (%{i}...): the name is only known for a given message.</summary>
    public bool HasMacro { get; }

    public bool IsModifier => Qualifier == '\0';

    /// <summary>True for the terms whose evaluation asks DNS, counted against the limit of 10 (RFC 7208 §4.6.4).</summary>
    public bool QueriesDns => Kind == SpfTermKind.Include || Kind == SpfTermKind.A || Kind == SpfTermKind.Mx
        || Kind == SpfTermKind.Ptr || Kind == SpfTermKind.Exists || Kind == SpfTermKind.Redirect;

    public override string ToString() => Text;
}

/// <summary>A syntactically valid SPF record: its terms in order.</summary>
internal sealed class SpfRecord
{
    public SpfRecord(string text, IReadOnlyList<SpfTerm> terms)
    {
        Text = text;
        Terms = terms;
        Mechanisms = terms.Where(t => !t.IsModifier).ToList();
        Modifiers = terms.Where(t => t.IsModifier).ToList();
        All = Mechanisms.FirstOrDefault(t => t.Kind == SpfTermKind.All);
        Redirect = Modifiers.FirstOrDefault(t => t.Kind == SpfTermKind.Redirect);
    }

    public string Text { get; }

    public IReadOnlyList<SpfTerm> Terms { get; }

    public IReadOnlyList<SpfTerm> Mechanisms { get; }

    public IReadOnlyList<SpfTerm> Modifiers { get; }

    /// <summary>The first "all" mechanism; mechanisms after it are never evaluated (RFC 7208 §5.1).</summary>
    public SpfTerm? All { get; }

    /// <summary>The redirect modifier, which receivers ignore when the record has an "all" mechanism (§6.1).</summary>
    public SpfTerm? Redirect { get; }

    /// <summary>The mechanisms a receiver evaluates: those before the first "all", and that one.</summary>
    public IEnumerable<SpfTerm> EvaluatedMechanisms
    {
        get
        {
            foreach (SpfTerm term in Mechanisms)
            {
                yield return term;
                if (term.Kind == SpfTermKind.All)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The redirect a receiver follows: none when the record has an "all" mechanism.</summary>
    public SpfTerm? EffectiveRedirect => All == null ? Redirect : null;
}

/// <summary>What parsing a record gave: the record, or the first term that breaks the grammar.</summary>
internal sealed class SpfParseResult
{
    private SpfParseResult(SpfRecord? record, string? badTerm, SpfSyntaxError? error)
    {
        Record = record;
        BadTerm = badTerm;
        Error = error;
    }

    public SpfRecord? Record { get; }

    /// <summary>The offending term, shown safely (cut, control characters escaped).</summary>
    public string? BadTerm { get; }

    public SpfSyntaxError? Error { get; }

    public static SpfParseResult Valid(SpfRecord record) => new SpfParseResult(record, null, null);

    public static SpfParseResult Invalid(string term, SpfSyntaxError error) => new SpfParseResult(null, ServerText.Printable(term, SpfParser.MaxShownTerm), error);
}

/// <summary>
/// Parses SPF records by the grammar of RFC 7208 §12. Macros are checked, never expanded: the
/// check has no message to expand them for. Input is bounded: a record longer than
/// <see cref="MaxLength"/> or with more than <see cref="MaxTerms"/> terms is refused, unread.
/// </summary>
internal static class SpfParser
{
    /// <summary>The longest record parsed, in characters; real records are well under 1 KB.</summary>
    public const int MaxLength = 4096;

    /// <summary>The most terms parsed in one record.</summary>
    public const int MaxTerms = 250;

    /// <summary>How much of a bad term a message shows.</summary>
    public const int MaxShownTerm = 80;

    private static readonly Regex ModifierName = new Regex("^[A-Za-z][A-Za-z0-9_.\\-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex MechanismName = new Regex("^[A-Za-z][A-Za-z0-9]*", RegexOptions.CultureInvariant);
    private static readonly Regex DualCidr = new Regex("^(?::(?<d>.*?))?(?:/(?<c4>[0-9]+))?(?://(?<c6>[0-9]+))?$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex Ip4Network = new Regex("^(?<ip>[^/]*)(?:/(?<c>[0-9]*))?$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex Qnum = new Regex("^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$", RegexOptions.CultureInvariant);
    private static readonly Regex TopLabel = new Regex("^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\\-]*[A-Za-z0-9])$", RegexOptions.CultureInvariant);

    /// <summary>True when a TXT record is an SPF record: "v=spf1", in any case, then a space or the end (RFC 7208 §4.5).</summary>
    public static bool IsSpfRecord(string text)
        => text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    public static SpfParseResult Parse(string text)
    {
        if (!IsSpfRecord(text))
        {
            return SpfParseResult.Invalid(text.Length > 12 ? text.Substring(0, 12) : text, SpfSyntaxError.UnknownMechanism);
        }

        if (text.Length > MaxLength)
        {
            return SpfParseResult.Invalid(text.Substring(0, 40), SpfSyntaxError.TooLong);
        }

        var terms = new List<SpfTerm>();
        bool redirectSeen = false;
        bool expSeen = false;
        foreach (string word in text.Substring(6).Split(' '))
        {
            // Terms are separated by one or more spaces (1*SP); empty pieces are those extra spaces.
            if (word.Length == 0)
            {
                continue;
            }

            if (terms.Count == MaxTerms)
            {
                return SpfParseResult.Invalid(word, SpfSyntaxError.TooManyTerms);
            }

            SpfSyntaxError? error = ParseTerm(word, out SpfTerm? term);
            if (error == null && term!.Kind == SpfTermKind.Redirect)
            {
                error = redirectSeen ? SpfSyntaxError.DuplicateModifier : null;
                redirectSeen = true;
            }
            else if (error == null && term!.Kind == SpfTermKind.Exp)
            {
                error = expSeen ? SpfSyntaxError.DuplicateModifier : null;
                expSeen = true;
            }

            if (error != null)
            {
                return SpfParseResult.Invalid(word, error.Value);
            }

            terms.Add(term!);
        }

        return SpfParseResult.Valid(new SpfRecord(text, terms));
    }

    /// <summary>Parses one term; returns why it is invalid, or null with the term.</summary>
    internal static SpfSyntaxError? ParseTerm(string word, out SpfTerm? term)
    {
        term = null;
        foreach (char c in word)
        {
            // Terms are visible ASCII (RFC 7208 §12: macro-literal and the names are %x21-7E).
            if (c < '!' || c > '~')
            {
                return SpfSyntaxError.BadCharacter;
            }
        }

        int equals = word.IndexOf('=');
        int colon = word.IndexOf(':');
        int slash = word.IndexOf('/');
        bool modifier = equals > 0 && (colon < 0 || equals < colon) && (slash < 0 || equals < slash) && "+-~?".IndexOf(word[0]) < 0;
        return modifier ? ParseModifier(word, equals, out term) : ParseDirective(word, out term);
    }

    private static SpfSyntaxError? ParseModifier(string word, int equals, out SpfTerm? term)
    {
        term = null;
        string name = word.Substring(0, equals);
        string value = word.Substring(equals + 1);
        if (!ModifierName.IsMatch(name))
        {
            return SpfSyntaxError.BadModifierName;
        }

        string lower = name.ToLowerInvariant();
        if (lower == "redirect" || lower == "exp")
        {
            if (value.Length == 0)
            {
                return SpfSyntaxError.MissingDomain;
            }

            SpfSyntaxError? domainError = CheckDomainSpec(value, out bool macro);
            if (domainError != null)
            {
                return domainError;
            }

            term = new SpfTerm(word, lower == "redirect" ? SpfTermKind.Redirect : SpfTermKind.Exp, '\0', lower, value, value, null, null, macro);
            return null;
        }

        SpfSyntaxError? macroError = CheckMacroString(value, out bool hasMacro, out _);
        if (macroError != null)
        {
            return macroError;
        }

        term = new SpfTerm(word, SpfTermKind.UnknownModifier, '\0', lower, null, value, null, null, hasMacro);
        return null;
    }

    private static SpfSyntaxError? ParseDirective(string word, out SpfTerm? term)
    {
        term = null;
        char qualifier = '+';
        string body = word;
        if ("+-~?".IndexOf(word[0]) >= 0)
        {
            qualifier = word[0];
            body = word.Substring(1);
        }

        Match nameMatch = MechanismName.Match(body);
        if (!nameMatch.Success)
        {
            return SpfSyntaxError.UnknownMechanism;
        }

        string name = nameMatch.Value.ToLowerInvariant();
        string rest = body.Substring(nameMatch.Length);
        if (rest.Length > 0 && rest[0] != ':' && rest[0] != '/')
        {
            return SpfSyntaxError.UnknownMechanism;
        }

        string? value = rest.Length == 0 ? null : rest[0] == ':' ? rest.Substring(1) : rest;
        switch (name)
        {
            case "all":
                if (rest.Length > 0)
                {
                    return SpfSyntaxError.UnexpectedArgument;
                }

                term = new SpfTerm(word, SpfTermKind.All, qualifier, name, null, null, null, null, false);
                return null;

            case "include":
            case "exists":
            case "ptr":
            {
                bool optional = name == "ptr";
                if (rest.Length == 0 && optional)
                {
                    term = new SpfTerm(word, SpfTermKind.Ptr, qualifier, name, null, null, null, null, false);
                    return null;
                }

                if (rest.Length == 0 || rest[0] != ':')
                {
                    return rest.Length == 0 ? SpfSyntaxError.MissingDomain : SpfSyntaxError.UnexpectedArgument;
                }

                string domain = rest.Substring(1);
                if (domain.Length == 0)
                {
                    return SpfSyntaxError.MissingDomain;
                }

                SpfSyntaxError? error = CheckDomainSpec(domain, out bool macro);
                if (error != null)
                {
                    return error;
                }

                SpfTermKind kind = name == "include" ? SpfTermKind.Include : name == "exists" ? SpfTermKind.Exists : SpfTermKind.Ptr;
                term = new SpfTerm(word, kind, qualifier, name, domain, domain, null, null, macro);
                return null;
            }

            case "a":
            case "mx":
            {
                Match parts = DualCidr.Match(rest);
                if (!parts.Success)
                {
                    return SpfSyntaxError.BadCidr;
                }

                string? domain = parts.Groups["d"].Success ? parts.Groups["d"].Value : null;
                bool macro = false;
                if (domain != null)
                {
                    if (domain.Length == 0)
                    {
                        return SpfSyntaxError.MissingDomain;
                    }

                    SpfSyntaxError? error = CheckDomainSpec(domain, out macro);
                    if (error != null)
                    {
                        return error;
                    }
                }

                int? cidr4 = null;
                int? cidr6 = null;
                if ((parts.Groups["c4"].Success && !TryCidr(parts.Groups["c4"].Value, 32, out cidr4))
                    || (parts.Groups["c6"].Success && !TryCidr(parts.Groups["c6"].Value, 128, out cidr6)))
                {
                    return SpfSyntaxError.BadCidr;
                }

                term = new SpfTerm(word, name == "a" ? SpfTermKind.A : SpfTermKind.Mx, qualifier, name, domain, value, cidr4, cidr6, macro);
                return null;
            }

            case "ip4":
            case "ip6":
            {
                if (rest.Length == 0 || rest[0] != ':' || rest.Length == 1)
                {
                    return name == "ip4" ? SpfSyntaxError.BadIp4 : SpfSyntaxError.BadIp6;
                }

                Match parts = Ip4Network.Match(rest.Substring(1));
                string ip = parts.Groups["ip"].Value;
                bool valid = name == "ip4" ? IsIp4(ip) : IsIp6(ip);
                if (!parts.Success || !valid)
                {
                    return name == "ip4" ? SpfSyntaxError.BadIp4 : SpfSyntaxError.BadIp6;
                }

                int? cidr = null;
                if (parts.Groups["c"].Success && !TryCidr(parts.Groups["c"].Value, name == "ip4" ? 32 : 128, out cidr))
                {
                    return SpfSyntaxError.BadCidr;
                }

                SpfTermKind kind = name == "ip4" ? SpfTermKind.Ip4 : SpfTermKind.Ip6;
                term = new SpfTerm(word, kind, qualifier, name, null, value, name == "ip4" ? cidr : null, name == "ip6" ? cidr : null, false);
                return null;
            }

            default:
                return SpfSyntaxError.UnknownMechanism;
        }
    }

    /// <summary>A CIDR length without leading zero, at most <paramref name="max"/> (RFC 7208 §5.6).</summary>
    private static bool TryCidr(string digits, int max, out int? length)
    {
        length = null;
        if (digits.Length == 0 || digits.Length > 3 || (digits.Length > 1 && digits[0] == '0'))
        {
            return false;
        }

        int value = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > max)
        {
            return false;
        }

        length = value;
        return true;
    }

    /// <summary>A dotted quad of the ABNF's qnum: four decimal numbers 0-255, no leading zero.</summary>
    private static bool IsIp4(string text)
    {
        string[] parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => Qnum.IsMatch(p));
    }

    private static bool IsIp6(string text)
        => text.IndexOf(':') >= 0 && text.IndexOf('%') < 0 && text.IndexOf('[') < 0
            && IPAddress.TryParse(text, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>
    /// domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand.
    /// </summary>
    internal static SpfSyntaxError? CheckDomainSpec(string spec, out bool hasMacro)
    {
        SpfSyntaxError? error = CheckMacroString(spec, out hasMacro, out int literalTail);
        if (error != null)
        {
            return error;
        }

        if (literalTail == 0)
        {
            // Ends with a macro-expand.
            return null;
        }

        string tail = spec.Substring(spec.Length - literalTail);
        if (tail.EndsWith(".", StringComparison.Ordinal))
        {
            tail = tail.Substring(0, tail.Length - 1);
        }

        // A name of one label ("localhost", "%{d}com") has no "." toplabel end.
        int dot = tail.LastIndexOf('.');
        if (dot < 0 || !TopLabel.IsMatch(tail.Substring(dot + 1)))
        {
            return SpfSyntaxError.BadDomain;
        }

        // Not in the ABNF, but no name with an empty label ("a..example") can be asked of DNS.
        return hasMacro || spec.TrimEnd('.').Split('.').All(label => label.Length > 0 && label.Length <= 63) ? null : SpfSyntaxError.BadDomain;
    }

    /// <summary>
    /// Checks a macro-string (RFC 7208 §7.1): literals are visible ASCII but "%", macros are
    /// %{letter digits [r] delimiters}, %%, %_ or %-. <paramref name="literalTail"/> is the length
    /// of the literal text after the last macro (the whole string when it has none).
    /// </summary>
    internal static SpfSyntaxError? CheckMacroString(string text, out bool hasMacro, out int literalTail)
    {
        hasMacro = false;
        literalTail = 0;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < '!' || c > '~')
            {
                return SpfSyntaxError.BadCharacter;
            }

            if (c != '%')
            {
                literalTail++;
                i++;
                continue;
            }

            literalTail = 0;
            if (i + 1 >= text.Length)
            {
                return SpfSyntaxError.BadMacro;
            }

            char next = text[i + 1];
            if (next == '%' || next == '_' || next == '-')
            {
                i += 2;
                continue;
            }

            if (next != '{')
            {
                return SpfSyntaxError.BadMacro;
            }

            int close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                return SpfSyntaxError.BadMacro;
            }

            SpfSyntaxError? error = CheckMacroExpand(text.Substring(i + 2, close - i - 2));
            if (error != null)
            {
                return error;
            }

            hasMacro = true;
            i = close + 1;
        }

        return null;
    }

    /// <summary>The inside of %{...}: macro-letter transformers *delimiter.</summary>
    private static SpfSyntaxError? CheckMacroExpand(string inside)
    {
        if (inside.Length == 0)
        {
            return SpfSyntaxError.BadMacro;
        }

        char letter = char.ToLowerInvariant(inside[0]);
        if ("slodiphcrtv".IndexOf(letter) < 0)
        {
            return SpfSyntaxError.BadMacro;
        }

        if ("crt".IndexOf(letter) >= 0)
        {
            return SpfSyntaxError.MacroLetterOnlyInExplanation;
        }

        int i = 1;
        int digitsStart = i;
        while (i < inside.Length && inside[i] >= '0' && inside[i] <= '9')
        {
            i++;
        }

        string digits = inside.Substring(digitsStart, i - digitsStart);
        // The number of labels to keep: nonzero (RFC 7208 §7.3); more than 3 digits is more labels than a name has.
        if (digits.Length > 0 && (digits.Length > 3 || digits.TrimStart('0').Length == 0))
        {
            return SpfSyntaxError.BadMacro;
        }

        if (i < inside.Length && (inside[i] == 'r' || inside[i] == 'R'))
        {
            i++;
        }

        for (; i < inside.Length; i++)
        {
            if (".-+,/_=".IndexOf(inside[i]) < 0)
            {
                return SpfSyntaxError.BadMacro;
            }
        }

        return null;
    }
}
