using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>Checks the DKIM keys a domain publishes under &lt;selector&gt;._domainkey.&lt;domain&gt;.</summary>
public static class DkimCheck
{
    /// <summary>
    /// The selectors tried when none is given: Microsoft 365's two (selector1, selector2 CNAMEs to
    /// the tenant) and the names mail services and signing software use most. Each is one query.
    /// OVHcloud's are platform-specific (ovhex&lt;N&gt;-selector1, ovhemp&lt;N&gt;-selector1) and cannot be guessed.
    /// </summary>
    internal static readonly IReadOnlyList<string> CommonSelectors = new[]
    {
        "selector1", "selector2", "default", "google", "k1", "k2", "dkim", "mail", "s1", "s2",
    };

    /// <summary>A selector in DNS form (lower case, no trailing dot), or null when it is not DNS labels of letters, digits, hyphens and underscores.</summary>
    public static string? TryNormalizeSelector(string? value)
    {
        string selector = (value ?? string.Empty).Trim().TrimEnd('.').ToLowerInvariant();
        bool valid = selector.Length > 0 && selector.Length <= 200 && selector.Split('.').All(label =>
            label.Length > 0 && label.Length <= 63 && label.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'));
        return valid ? selector : null;
    }

    /// <summary>The most selectors one check looks up.</summary>
    internal const int MaxSelectors = 16;

    /// <summary>The most TXT records read at one selector.</summary>
    private const int MaxRecordsPerSelector = 4;

    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    /// <param name="selectors">The selectors to check (lower-case DNS labels); null or empty tries <see cref="CommonSelectors"/>.</param>
    /// <param name="provider">The hosted offer, for the advice on where its selectors are listed.</param>
    /// <param name="providerSelectors">
    /// The selectors the provider made for the domain (its API), which no guess finds: tried first
    /// among the guesses, not as selectors given, since a provider lists a second selector for key
    /// rotation whether or not it was published.
    /// </param>
    public static Task<DkimCheckResult> RunAsync(string domain, IReadOnlyList<string>? selectors, MailProvider? provider, DnsQuerier dns, TimeSpan timeout, CancellationToken stop, IReadOnlyList<string>? providerSelectors = null)
    {
        bool given = selectors != null && selectors.Count > 0;
        List<string> tried = (given ? selectors! : (providerSelectors ?? Array.Empty<string>()).Concat(CommonSelectors))
            .Select(TryNormalizeSelector)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Take(MaxSelectors)
            .ToList();
        var result = new DkimCheckResult(domain)
        {
            SelectorsTried = new SummaryList<string>(tried),
            Expected = Texts.Dkim.Format("Dkim_Expected", string.Join(", ", tried)),
        };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            // RFC 8020: NXDOMAIN at _domainkey means no name exists under it, so no selector at all;
            // a tree with selectors in it answers NOERROR (an empty non-terminal).
            DnsLookup tree = await dns.QueryAsync("_domainkey." + domain, QueryType.TXT, deadline).ConfigureAwait(false);
            if (!await DnsCheck.RecordAsync(result, "_domainkey lookup", tree, dns, deadline, DiagnosticCause.DkimInvalid).ConfigureAwait(false))
            {
                return;
            }

            bool noTree = tree.Outcome == DnsOutcome.NameError;
            if (noTree && await DnsCheck.DomainIsMissingAsync(result, domain, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            // Asked even when _domainkey is NXDOMAIN: a server that gets RFC 8020 wrong still answers them.
            DnsQuerier.AliasedLookup?[] lookups = await Task.WhenAll(tried.Select(s => LookUpAsync(s, domain, dns, deadline))).ConfigureAwait(false);
            var found = new List<SelectorRecords>();
            var missing = new List<string>();
            var unknown = new List<string>();
            var dangling = new List<(string Name, string Alias)>();
            var verdict = new Verdict();
            for (int i = 0; i < tried.Count; i++)
            {
                string selector = tried[i];
                string name = $"{selector}._domainkey.{domain}";
                DnsQuerier.AliasedLookup? lookup = lookups[i];
                if (lookup == null)
                {
                    result.AddStep($"Selector {selector}", CheckStatus.Failed, $"{name} is longer than a DNS name can be");
                    missing.Add(selector);
                    continue;
                }

                DnsLookup last = lookup.Last;

                // The alias target is the server's text: printable and cut before it reaches a step or a message.
                string? aliasOf = lookup.CanonicalName == null ? null : ServerText.Printable(lookup.CanonicalName, 256);
                string alias = aliasOf == null ? string.Empty : $" (alias of {aliasOf})";
                IReadOnlyList<string> texts = last.IsUnavailable ? Array.Empty<string>() : DnsCheck.TxtRecords(last);
                CheckStatus status = last.Outcome == DnsOutcome.InvalidRecord ? CheckStatus.Failed
                    : last.IsUnavailable ? CheckStatus.Error
                    : texts.Count == 0 ? CheckStatus.Warning : CheckStatus.Passed;
                result.AddStep($"Selector {selector}", status, last + alias, last.Duration);
                if (last.Outcome == DnsOutcome.InvalidRecord)
                {
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.DkimInvalid,
                        Texts.Dkim.Format("Dkim_BadAlias", name, last.Said),
                        Texts.Dkim.Format("Dkim_BadAlias_Remediation", name));
                }
                else if (last.IsUnavailable)
                {
                    unknown.Add(selector);
                }
                else if (texts.Count == 0 && aliasOf != null)
                {
                    dangling.Add((name, aliasOf));
                }
                else if (texts.Count == 0)
                {
                    missing.Add(selector);
                }
                else
                {
                    found.Add(new SelectorRecords(selector, name, aliasOf, texts.Take(MaxRecordsPerSelector).ToList(), texts.Count));
                }
            }

            var keys = new List<DkimKeyInfo>();
            // A key verifiers accept: parsed, not revoked, and not an RSA key under 1024 bits (RFC 8301 §3.2).
            bool anyUsable = found.Any(f => f.Records.Any(r => r.IsValid && !r.Revoked && !(r.KeyType == "rsa" && r.KeyBits < 1024)));
            foreach (SelectorRecords selector in found)
            {
                AddKeyFindings(verdict, selector, given || !anyUsable, keys);
            }

            // An alias whose target holds no key: the CNAME the provider asked for is published, but the
            // provider has not published the key behind it (DKIM not turned on there yet).
            foreach ((string name, string alias) in dangling)
            {
                verdict.Add(anyUsable ? CheckStatus.Warning : CheckStatus.Failed, DiagnosticCause.DkimMissing,
                    Texts.Dkim.Format("Dkim_DanglingAlias", name, alias),
                    Texts.Dkim.Format("Dkim_DanglingAlias_Remediation", name, alias, domain));
            }

            result.Keys = new SummaryList<DkimKeyInfo>(keys);
            result.Observed = keys.Count == 0 ? Texts.Dkim["Dkim_ObservedNone"] : string.Join("; ", keys);
            string triedList = string.Join(", ", tried);
            if (given)
            {
                foreach (string selector in missing)
                {
                    string name = $"{selector}._domainkey.{domain}";
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.DkimMissing,
                        Texts.Dkim.Format("Dkim_MissingGiven", name),
                        Texts.Dkim.Format("Dkim_MissingGiven_Remediation", name, ProviderAdvice(provider)));
                }

                foreach (string selector in unknown)
                {
                    verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                        Texts.Dkim.Format("Dkim_Unknown", $"{selector}._domainkey.{domain}", dns.ServerDescription),
                        Texts.Messages["Dns_Unavailable_Remediation"]);
                }
            }
            else if (found.Count == 0 && verdict.Findings.Count == 0)
            {
                if (unknown.Count > 0)
                {
                    // A selector DNS could not answer for may hold the key: nothing can be concluded.
                    verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                        Texts.Dkim.Format("Dkim_Unknown", string.Join(", ", unknown.Select(s => $"{s}._domainkey.{domain}")), dns.ServerDescription),
                        Texts.Messages["Dns_Unavailable_Remediation"]);
                }
                else if (noTree)
                {
                    verdict.Add(CheckStatus.Failed, DiagnosticCause.DkimMissing,
                        Texts.Dkim.Format("Dkim_NoneAtAll", domain, triedList),
                        Texts.Dkim.Format("Dkim_NoneAtAll_Remediation", domain, ProviderAdvice(provider)));
                }
                else
                {
                    verdict.Add(CheckStatus.Warning, DiagnosticCause.DkimMissing,
                        Texts.Dkim.Format("Dkim_NoneGuessed", domain, triedList),
                        Texts.Dkim.Format("Dkim_NoneGuessed_Remediation", domain, ProviderAdvice(provider)));
                }
            }

            string usable = string.Join(", ", keys.Where(k => k.Problem == null && !k.Revoked).Select(k => $"{k.Selector} ({k.KeyType} {k.KeyBits})"));
            verdict.ApplyTo(result, Texts.Dkim.Format("Dkim_Passed", domain, usable, triedList));
        });
    }

    private static async Task<DnsQuerier.AliasedLookup?> LookUpAsync(string selector, string domain, DnsQuerier dns, CancellationToken deadline)
    {
        string name = $"{selector}._domainkey.{domain}";
        if (name.Length > 253 || selector.Split('.').Any(label => label.Length == 0 || label.Length > 63))
        {
            return null;
        }

        return await dns.QueryThroughAliasesAsync(name, QueryType.TXT, deadline).ConfigureAwait(false);
    }

    /// <param name="unusableFails">True when a revoked or unusable key is a failure: the selector was named, or no other key works.
    /// Beside a working key, at a selector only guessed, a revoked one is the old key of a rotation, withdrawn as
    /// RFC 6376 §3.6.1 suggests, and a broken one a leftover: verifiers fetch only the selectors mail is signed with.
    /// A key under 1024 bits fails wherever it is: signatures made with it can be forged.</param>
    private static void AddKeyFindings(Verdict verdict, SelectorRecords selector, bool unusableFails, List<DkimKeyInfo> keys)
    {
        string name = selector.Name;
        if (selector.Count > 1)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.DkimInvalid,
                Texts.Dkim.Format("Dkim_SeveralRecords", name, selector.Count),
                Texts.Dkim.Format("Dkim_SeveralRecords_Remediation", name));
        }

        foreach (DkimKeyRecord record in selector.Records)
        {
            keys.Add(new DkimKeyInfo(selector.Selector, record.KeyType, record.KeyBits > 0 ? record.KeyBits : null,
                record.Testing, record.Revoked, selector.AliasOf, record.Error));
            if (record.Error != null)
            {
                string error = ServerText.Printable(record.Error, 256);
                verdict.Add(unusableFails ? CheckStatus.Failed : CheckStatus.Warning, DiagnosticCause.DkimInvalid,
                    Texts.Dkim.Format(unusableFails ? "Dkim_Invalid" : "Dkim_InvalidBeside", name, error),
                    Texts.Dkim.Format(unusableFails ? "Dkim_Invalid_Remediation" : "Dkim_InvalidBeside_Remediation", name));
                continue;
            }

            if (record.Revoked)
            {
                verdict.Add(unusableFails ? CheckStatus.Failed : CheckStatus.Warning, DiagnosticCause.DkimInvalid,
                    Texts.Dkim.Format("Dkim_Revoked", name),
                    Texts.Dkim.Format("Dkim_Revoked_Remediation", name));
                continue;
            }

            if (record.KeyType == "rsa" && record.KeyBits < 1024)
            {
                verdict.Add(CheckStatus.Failed, DiagnosticCause.DkimInvalid,
                    Texts.Dkim.Format("Dkim_TooShort", name, record.KeyBits),
                    Texts.Dkim.Format("Dkim_Short_Remediation", name));
            }
            else if (record.KeyType == "rsa" && record.KeyBits < 2048)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DkimInvalid,
                    Texts.Dkim.Format("Dkim_Short", name, record.KeyBits),
                    Texts.Dkim.Format("Dkim_Short_Remediation", name));
            }

            if (record.Testing)
            {
                verdict.Add(CheckStatus.Warning, DiagnosticCause.DkimInvalid,
                    Texts.Dkim.Format("Dkim_Testing", name),
                    Texts.Dkim.Format("Dkim_Testing_Remediation", name));
            }
        }
    }

    private static string ProviderAdvice(MailProvider? provider)
        => provider == null ? Texts.Dkim["Dkim_Advice_Any"] : Texts.Dkim[ProviderProfile.For(provider.Value).DkimAdviceKey];

    private sealed class SelectorRecords
    {
        public SelectorRecords(string selector, string name, string? aliasOf, IReadOnlyList<string> texts, int count)
        {
            Selector = selector;
            Name = name;
            AliasOf = aliasOf;
            Records = texts.Select(DkimKeyRecord.Parse).ToList();
            Count = count;
        }

        public string Selector { get; }

        public string Name { get; }

        public string? AliasOf { get; }

        public IReadOnlyList<DkimKeyRecord> Records { get; }

        public int Count { get; }
    }
}
