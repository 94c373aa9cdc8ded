using System;

namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeSpf for one domain.</summary>
public sealed class SpfCheckResult : CheckResult
{
    internal SpfCheckResult(string domain)
        : base("Spf", domain)
    {
    }

    public string Domain => Target;

    /// <summary>The domain's SPF record (the TXT record starting with v=spf1) as published, shown safely; null when there is not exactly one.</summary>
    public string? Record { get; internal set; }

    /// <summary>The record's mechanisms in order: "include:mx.ovh.com", "~all".</summary>
    public SummaryList<SpfTermInfo> Mechanisms { get; internal set; } = new SummaryList<SpfTermInfo>();

    /// <summary>The record's modifiers: "redirect=...", "exp=..." and any unknown ones, which receivers ignore.</summary>
    public SummaryList<SpfTermInfo> Modifiers { get; internal set; } = new SummaryList<SpfTermInfo>();

    /// <summary>
    /// The terms that make a receiver ask DNS (include, a, mx, ptr, exists, redirect), counted through
    /// every include and redirect followed; receivers allow 10 (RFC 7208 §4.6.4). A count past 10 is
    /// where the check stopped following: the record needs at least that many.
    /// </summary>
    public int LookupCount { get; internal set; }

    /// <summary>The lookups that found no record or a name that does not exist; receivers allow 2.</summary>
    public int VoidLookupCount { get; internal set; }

    /// <summary>The domains whose SPF records were read through include: and redirect=, in the order followed.</summary>
    public SummaryList<string> Includes { get; internal set; } = new SummaryList<string>();

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Record = CleanOrNull(Record, clean);
        Mechanisms.ReplaceAll(term => term.Cleaned(clean));
        Modifiers.ReplaceAll(term => term.Cleaned(clean));
        Includes.ReplaceAll(clean);
    }
}

/// <summary>One mechanism or modifier of an SPF record, as published.</summary>
public sealed class SpfTermInfo
{
    internal SpfTermInfo(string? qualifier, string name, string? value, string text)
    {
        Qualifier = qualifier;
        Name = name;
        Value = value;
        Text = text;
    }

    /// <summary>"+" (pass, also when none is written), "-" (fail), "~" (softfail) or "?" (neutral); null for a modifier.</summary>
    public string? Qualifier { get; }

    /// <summary>The mechanism or modifier in lower case: all, include, a, mx, ptr, ip4, ip6, exists, redirect, exp.</summary>
    public string Name { get; }

    /// <summary>What follows the name: a domain, a network, CIDR lengths ("/24"); null when nothing does.</summary>
    public string? Value { get; }

    private string Text { get; }

    internal SpfTermInfo Cleaned(Func<string, string> clean)
        => new SpfTermInfo(Qualifier, Name, CleanOrNull(Value, clean), clean(Text));

    private static string? CleanOrNull(string? text, Func<string, string> clean) => text == null ? null : clean(text);

    /// <summary>The term as written in the record: "~all", "include:mx.ovh.com".</summary>
    public override string ToString() => Text;
}
