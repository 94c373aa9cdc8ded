using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Resources;

namespace ExchangeDiag;

/// <summary>
/// The texts of one resource file (such as Resources/Diagnosis.resx) in the UI culture of the
/// running check. Translations (Diagnosis.fr.resx) are embedded in this assembly itself rather
/// than in satellite assemblies: the module then loads the same way in its own load context on
/// PowerShell 7 and in Windows PowerShell, and its bin folders hold no culture subfolders.
/// </summary>
internal sealed class Localizer
{
    private readonly string _baseName;
    private readonly Dictionary<string, ResourceSet> _byLanguage = new Dictionary<string, ResourceSet>(StringComparer.OrdinalIgnoreCase);
    private readonly ResourceSet _neutral;

    public Localizer(string file)
    {
        File = file;
        _baseName = $"ExchangeDiag.Resources.{file}";
        Assembly assembly = typeof(Localizer).Assembly;
        _neutral = Load(assembly, _baseName + ".resources")
            ?? throw new InvalidOperationException($"The resource file {file}.resx is not embedded.");
        foreach (string name in assembly.GetManifestResourceNames())
        {
            string prefix = _baseName + ".";
            if (name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".resources", StringComparison.Ordinal) && name != _baseName + ".resources")
            {
                string language = name.Substring(prefix.Length, name.Length - prefix.Length - ".resources".Length);
                _byLanguage[language] = Load(assembly, name)!;
            }
        }
    }

    /// <summary>The resource file's name, such as Diagnosis.</summary>
    public string File { get; }

    /// <summary>The languages this file is translated into, besides the neutral English.</summary>
    public IEnumerable<string> Languages => _byLanguage.Keys;

    /// <summary>The keys of the neutral (English) file, or of one translation.</summary>
    public IEnumerable<string> Keys(string? language = null)
    {
        ResourceSet set = language == null ? _neutral : _byLanguage[language];
        foreach (System.Collections.DictionaryEntry entry in set)
        {
            yield return (string)entry.Key;
        }
    }

    /// <summary>The text for <paramref name="key"/> in the current UI culture, English when untranslated.</summary>
    public string this[string key] => Lookup(key, CultureInfo.CurrentUICulture);

    /// <summary>The text for <paramref name="key"/> in <paramref name="culture"/>, for output whose language the caller chose.</summary>
    public string this[string key, CultureInfo culture] => Lookup(key, culture);

    /// <summary>The text for <paramref name="key"/> with its {0}-style placeholders filled in, formatted for the UI culture.</summary>
    public string Format(string key, params object?[] args) => Format(CultureInfo.CurrentUICulture, key, args);

    /// <summary>
    /// The text for <paramref name="key"/> in <paramref name="culture"/>: the invariant culture gives
    /// the English of the technical trace (step details), whatever the UI culture.
    /// </summary>
    public string Format(CultureInfo culture, string key, params object?[] args)
        => string.Format(culture, Lookup(key, culture), args);

    private string Lookup(string key, CultureInfo culture)
    {
        if (_byLanguage.TryGetValue(culture.TwoLetterISOLanguageName, out ResourceSet? translated))
        {
            string? text = translated.GetString(key);
            if (text != null)
            {
                return text;
            }
        }

        return _neutral.GetString(key) ?? throw new KeyNotFoundException($"No text '{key}' in {_baseName}.");
    }

    private static ResourceSet? Load(Assembly assembly, string name)
    {
        Stream? stream = assembly.GetManifestResourceStream(name);
        return stream == null ? null : new ResourceSet(stream);
    }
}

/// <summary>
/// A text whose language is chosen where it is written: the same words go English into a step's
/// technical trace (the invariant culture) and into a message in the reader's UI culture.
/// </summary>
internal sealed class Phrase : IFormattable
{
    private readonly Func<CultureInfo, string>? _write;

    /// <summary>The text of a phrase that is the same in every language (a DNS code such as NXDOMAIN).</summary>
    private readonly string? _fixed;

    public Phrase(Localizer texts, string key, params object?[] args)
    {
        _write = culture => texts.Format(culture, key, args);
    }

    /// <summary>A phrase put together from others: <paramref name="write"/> writes it in the culture it is given.</summary>
    public Phrase(Func<CultureInfo, string> write)
    {
        _write = write;
    }

    private Phrase(string text)
    {
        _fixed = text;
    }

    /// <summary>A text that no language changes; no delegate, for the answers of a bulk run.</summary>
    public static Phrase Fixed(string text) => new Phrase(text);

    /// <summary>The English of the technical trace.</summary>
    public string Trace => In(CultureInfo.InvariantCulture);

    public string In(CultureInfo culture) => _fixed ?? _write!(culture);

    /// <summary>The text in the current UI culture.</summary>
    public override string ToString() => In(CultureInfo.CurrentUICulture);

    /// <summary>A phrase inside another is written in the language of the text around it.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => In(formatProvider as CultureInfo ?? CultureInfo.CurrentUICulture);
}

/// <summary>The module's resource files.</summary>
internal static class Texts
{
    /// <summary>The verdict and root causes of Invoke-ExchangeDiagnostic.</summary>
    public static readonly Localizer Diagnosis = new Localizer("Diagnosis");

    /// <summary>The Message and Remediation of every check's result.</summary>
    public static readonly Localizer Messages = new Localizer("Messages");

    /// <summary>The headings and fixed labels of Export-ExchangeDiagnosticReport's documents.</summary>
    public static readonly Localizer Report = new Localizer("Report");

    /// <summary>The account state and provider diagnosis read from the OVHcloud API.</summary>
    public static readonly Localizer Ovh = new Localizer("Ovh");

    /// <summary>The texts of Test-ExchangeSpf: the domain's SPF record.</summary>
    public static readonly Localizer Spf = new Localizer("Spf");

    /// <summary>The texts of Test-ExchangeDkim: the domain's DKIM keys.</summary>
    public static readonly Localizer Dkim = new Localizer("Dkim");

    /// <summary>The texts of Test-ExchangeDmarc: the domain's DMARC policy.</summary>
    public static readonly Localizer Dmarc = new Localizer("Dmarc");

    /// <summary>The texts of Test-ExchangeBlocklist: DNS blocklists.</summary>
    public static readonly Localizer Blocklist = new Localizer("Blocklist");

    /// <summary>The texts of Test-ExchangeMtaSts: the domain's MTA-STS policy and TLS-RPT record.</summary>
    public static readonly Localizer MtaSts = new Localizer("MtaSts");

    /// <summary>The Microsoft 365 (Entra ID) sign-in of -AuthMethod OAuth: why no token was had, and what to do.</summary>
    public static readonly Localizer SignIn = new Localizer("SignIn");

    /// <summary>What the cmdlets write themselves: the errors of bad input (an invalid domain, address, server, DNS server or parameter), -WhatIf and progress texts.</summary>
    public static readonly Localizer Commands = new Localizer("Commands");

    /// <summary>Every resource file, for the test that no translation misses a key.</summary>
    public static IEnumerable<Localizer> All => new[] { Diagnosis, Messages, Report, Ovh, Spf, Dkim, Dmarc, Blocklist, MtaSts, Commands };
}
