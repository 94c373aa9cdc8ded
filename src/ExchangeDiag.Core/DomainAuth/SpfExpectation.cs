using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>The domains a domain's SPF record must include, from -ExpectedInclude or -Provider.</summary>
public sealed class SpfExpectation
{
    private SpfExpectation(IReadOnlyList<string> includes, string? providerName)
    {
        Includes = includes;
        ProviderName = providerName;
    }

    /// <summary>The domains that must be reached through include: (directly, nested, or by redirect=); empty when any valid record will do.</summary>
    public IReadOnlyList<string> Includes { get; }

    /// <summary>The provider whose documented include is expected, for messages; null for -ExpectedInclude or no expectation.</summary>
    public string? ProviderName { get; }

    /// <summary>No expectation: one valid SPF record.</summary>
    public static SpfExpectation Any { get; } = new SpfExpectation(Array.Empty<string>(), null);

    /// <summary>
    /// -ExpectedInclude, when given, replaces the provider's include (as -ExpectedMx replaces the
    /// provider's MX hosts): list the provider's include there too to require both.
    /// </summary>
    public static SpfExpectation Create(string[]? expectedInclude, MailProvider? provider)
    {
        List<string>? expected = expectedInclude?.Where(h => !string.IsNullOrWhiteSpace(h)).Select(DomainName.Canonical).Distinct().ToList();
        if (expected != null && expected.Count > 0)
        {
            return new SpfExpectation(expected, null);
        }

        if (provider.HasValue)
        {
            ProviderProfile profile = ProviderProfile.For(provider.Value);
            return new SpfExpectation(new[] { profile.SpfInclude }, profile.DisplayName);
        }

        return Any;
    }

    /// <summary>The expectation in words, for the result's Expected property.</summary>
    public string Describe() => Includes.Count == 0
        ? Texts.Spf["Spf_Expected"]
        : Texts.Spf.Format("Spf_ExpectedIncludes", string.Join(", ", Includes));

    /// <summary>The record to publish when there is none: the provider's documented form, or the includes expected.</summary>
    internal string? SuggestedRecord() => Includes.Count == 0
        ? null
        : "v=spf1 " + string.Join(" ", Includes.Select(i => "include:" + i)) + " ~all";
}
