using System;

namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeDkim for one domain.</summary>
public sealed class DkimCheckResult : CheckResult
{
    internal DkimCheckResult(string domain)
        : base("Dkim", domain)
    {
    }

    public string Domain => Target;

    /// <summary>The key records found, one per selector (more when a selector holds several TXT records).</summary>
    public SummaryList<DkimKeyInfo> Keys { get; internal set; } = new SummaryList<DkimKeyInfo>();

    /// <summary>The selectors looked up: those given with -Selector, or the common ones tried.</summary>
    public SummaryList<string> SelectorsTried { get; internal set; } = new SummaryList<string>();

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Keys.ReplaceAll(key => key.Cleaned(clean));
    }
}

/// <summary>One DKIM key record as published at a selector.</summary>
public sealed class DkimKeyInfo
{
    internal DkimKeyInfo(string selector, string keyType, int? keyBits, bool testing, bool revoked, string? aliasOf, string? problem)
    {
        Selector = selector;
        KeyType = keyType;
        KeyBits = keyBits;
        Testing = testing;
        Revoked = revoked;
        AliasOf = aliasOf;
        Problem = problem;
    }

    /// <summary>The selector, the name before ._domainkey.</summary>
    public string Selector { get; }

    /// <summary>rsa or ed25519.</summary>
    public string KeyType { get; }

    /// <summary>The key length in bits (the RSA modulus; 256 for ed25519); null when the key is revoked or unreadable.</summary>
    public int? KeyBits { get; }

    /// <summary>t=y: receivers treat mail signed with this key as unsigned.</summary>
    public bool Testing { get; }

    /// <summary>p= is empty: the key was withdrawn.</summary>
    public bool Revoked { get; }

    /// <summary>The name the selector is an alias (CNAME) of, such as the provider's key; null when it is no alias.</summary>
    public string? AliasOf { get; }

    /// <summary>Why no verifier can use this record; null when it is valid.</summary>
    public string? Problem { get; }

    internal DkimKeyInfo Cleaned(Func<string, string> clean)
        => new DkimKeyInfo(Selector, KeyType, KeyBits, Testing, Revoked, CheckResult.CleanOrNull(AliasOf, clean), CheckResult.CleanOrNull(Problem, clean));

    public override string ToString()
    {
        string key = Problem != null ? $"invalid ({Problem})"
            : Revoked ? "revoked"
            : $"{KeyType} {KeyBits} bits" + (Testing ? ", testing" : string.Empty);
        return $"{Selector}: {key}" + (AliasOf == null ? string.Empty : $" (alias of {AliasOf})");
    }
}
