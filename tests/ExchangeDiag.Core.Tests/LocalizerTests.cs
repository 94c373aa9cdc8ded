using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;
using static ExchangeDiag.Tests.RuleFixtures;

namespace ExchangeDiag.Tests;

public class LocalizerTests
{
    [Fact]
    public void EveryResourceFileHasAFrenchTranslationWithTheSameKeys()
    {
        foreach (Localizer texts in Texts.All)
        {
            Assert.Contains("fr", texts.Languages);
            foreach (string language in texts.Languages)
            {
                var english = texts.Keys().OrderBy(k => k).ToList();
                var translated = texts.Keys(language).OrderBy(k => k).ToList();
                Assert.True(english.SequenceEqual(translated),
                    $"{texts.File}.{language}.resx: missing [{string.Join(", ", english.Except(translated))}], extra [{string.Join(", ", translated.Except(english))}]");
            }
        }
    }

    [Fact]
    public void TextsFollowTheUiCultureAndFallBackToEnglish()
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fr-CA");
            string french = Texts.Diagnosis.Format("Verdict_Healthy", 9);
            CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            string fallback = Texts.Diagnosis.Format("Verdict_Healthy", 9);
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            string english = Texts.Diagnosis.Format("Verdict_Healthy", 9);

            Assert.Equal(english, fallback);
            Assert.NotEqual(english, french);
            Assert.Contains("9", french);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void EveryMessageKeyIsUsedByTheCode()
    {
        string root = RepositoryRoot();
        string code = string.Join("\n", new[] { "src/ExchangeDiag.Core", "src/ExchangeDiag" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText));

        var unused = Texts.Messages.Keys().Where(key => !code.Contains($"\"{key}\"")).OrderBy(k => k).ToList();

        Assert.True(unused.Count == 0, $"Messages.resx keys no code uses: {string.Join(", ", unused)}");
    }

    [Fact]
    public void EveryTranslationHasTheSamePlaceholdersAsTheEnglish()
    {
        foreach (Localizer texts in Texts.All)
        {
            foreach (string language in texts.Languages)
            {
                var culture = new CultureInfo(language);
                foreach (string key in texts.Keys())
                {
                    string english = texts.Format(CultureInfo.InvariantCulture, key, Arguments(texts, key));
                    string translated = texts.Format(culture, key, Arguments(texts, key));
                    Assert.True(Placeholders(Raw(texts, key, CultureInfo.InvariantCulture)).SetEquals(Placeholders(Raw(texts, key, culture))),
                        $"{texts.File}.{language}.resx, {key}: the placeholders differ from the English");
                    Assert.False(string.IsNullOrWhiteSpace(translated), $"{texts.File}.{language}.resx, {key} is empty");
                    Assert.False(string.IsNullOrWhiteSpace(english), $"{texts.File}.resx, {key} is empty");
                }
            }
        }
    }

    [Fact]
    public void The_shared_MX_expectation_is_described_in_each_runs_culture()
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            // MxExpectation.Any serves every invocation of a session: an English run first must not leave its text to a French one.
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            string english = MxExpectation.Any.Describe();
            CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
            string french = MxExpectation.Any.Describe();

            Assert.Equal("at least one MX record whose host resolves", english);
            Assert.NotEqual(english, french);
            Assert.Same(french, MxExpectation.Any.Describe());
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void A_finding_reads_in_French_under_a_French_UI_culture_and_its_trace_stays_English()
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
            MxCheckResult french = Apply(MxRules.Evaluate("contoso.com", new[] { new MxRecordInfo(10, "mx.other.net") }, Hosts(Resolving("mx.other.net")), MxExpectation.Create(null, MailProvider.OvhEurope, null)), new MxCheckResult("contoso.com"));
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            MxCheckResult english = Apply(MxRules.Evaluate("contoso.com", new[] { new MxRecordInfo(10, "mx.other.net") }, Hosts(Resolving("mx.other.net")), MxExpectation.Create(null, MailProvider.OvhEurope, null)), new MxCheckResult("contoso.com"));

            Assert.Equal("MX points to mx.other.net, which is not an OVHcloud Exchange MX host.", english.Message);
            Assert.Equal("Le MX pointe vers mx.other.net, qui n'est pas un hôte MX OVHcloud Exchange.", french.Message);
            Assert.Contains("mx0.mail.ovh.net (priorité 1)", french.Remediation);
            Assert.StartsWith("Supprimez l'enregistrement MX vers mx.other.net", french.Remediation);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void More_findings_are_counted_in_the_UI_culture()
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fr-CA");
            var verdict = new Verdict();
            verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "C'est faux.", "Corrigez.");
            verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "C'est douteux.", "Vérifiez.");
            MxCheckResult result = Apply(verdict, new MxCheckResult("contoso.com"));

            Assert.Equal("C'est faux (et 1 autre(s) constat(s) : voir Steps).", result.Message);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private static readonly Regex Placeholder = new Regex(@"(?<!\{)\{(\d+)(?:[,:][^}]*)?\}", RegexOptions.CultureInvariant);

    private static HashSet<int> Placeholders(string text)
        => new HashSet<int>(Placeholder.Matches(text).Cast<Match>().Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));

    /// <summary>The text itself, unformatted, through a culture's lookup (English when untranslated).</summary>
    private static string Raw(Localizer texts, string key, CultureInfo culture)
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = culture;
            return texts[key];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Enough arguments for every placeholder of the English text, so that formatting proves the text well formed.</summary>
    private static object?[] Arguments(Localizer texts, string key)
    {
        HashSet<int> used = Placeholders(Raw(texts, key, CultureInfo.InvariantCulture));
        return Enumerable.Range(0, used.Count == 0 ? 0 : used.Max() + 1).Select(i => (object?)(i + 1)).ToArray();
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ExchangeDiag.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The test runs outside the repository: ExchangeDiag.sln not found above " + AppContext.BaseDirectory);
    }
}
