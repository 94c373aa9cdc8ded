using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>
/// Issue 12, "French, all the way": every text of every resource file has a French translation,
/// and the translation is French, not the English copied.
/// </summary>
public class FrenchTranslationTests
{
    private static readonly CultureInfo French = new CultureInfo("fr-FR");

    /// <summary>
    /// The texts that are the same in both languages on purpose: placeholders and punctuation only,
    /// units, and words French shares with English. Each must stay identical, so the list stays honest.
    /// </summary>
    private static readonly HashSet<string> SameInBothLanguages = new HashSet<string>
    {
        "Commands.Input_Refused",          // '{0}' {1}.
        "Commands.Parameter_Invalid",      // -{0} '{1}' {2}.
        "Commands.Ovh_Problem",            // {0}.: the reason, already translated
        "Diagnosis.Cause_DomainNotFound",  // {0}: the check's own message, already translated
        "Diagnosis.Cause_WrongExchangeServer",
        "Messages.OwaEvidence_Status",     // {0} {1}: an HTTP status and the server's reason phrase
        "Ovh.Api_WithSaid",                // {0} ({1}): what went wrong, then what the API said
        "MtaSts.Observed_Mx",              // MX {0}
        "Report.Verdict",
        "Report.Message",
        "Report.Cause",
        "Report.Milliseconds",
        "Report.Seconds",
    };

    // English function words that no French sentence holds as whole words.
    private static readonly Regex EnglishWord = new Regex(
        @"(?<![\w\-])(the|is|was|were|not|with|could|would|should|does|did|has|have|and|of|to|for|from|this|that|which|there|their|its|it|by|be|been|no|than|when|where|after|before|your|you|will|can|cannot|only|yet|any|every|some|more|other|others|into|about|because|while|then|found|answered|refused|failed|passed|without|give|given|check|record|records)(?![\w\-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // What a French text may hold in English because it is not prose: placeholders, quoted values,
    // addresses and URLs, host names, tag=value, paths, protocol tokens and parameter names.
    private static readonly Regex NotProse = new Regex(
        @"\{\d+[^}]*\}|«[^»]*»|""[^""]*""|`[^`]*`|(?<!\p{L})'[^']*'(?!\p{L})|\b[a-z][a-z0-9+.-]*://\S+|\S+@\S+|\bv=[A-Za-z0-9]+[^.,;]*|\b[\w-]+=[^\s,;)]*|\b[\w-]+(\.[\w-]+)+\.?(:\d+)?|/[\w./*{}-]+|\b[A-Z][A-Z0-9_-]+\b|-[A-Z][A-Za-z]+",
        RegexOptions.CultureInvariant);

    [Fact]
    public void Every_text_has_a_French_translation_that_differs_from_the_English_unless_allowed()
    {
        var same = new List<string>();
        foreach (Localizer texts in Texts.All)
        {
            foreach (string key in texts.Keys())
            {
                string name = $"{texts.File}.{key}";
                Assert.Contains(key, texts.Keys("fr"));
                bool identical = texts[key, CultureInfo.InvariantCulture] == texts[key, French];
                if (identical != SameInBothLanguages.Contains(name))
                {
                    same.Add(identical ? $"{name} is the English untranslated" : $"{name} is on the allow-list but translated now: take it off");
                }
            }
        }

        Assert.True(same.Count == 0, string.Join("\n", same));
    }

    [Fact]
    public void No_French_text_holds_an_English_sentence()
    {
        var english = new List<string>();
        foreach (Localizer texts in Texts.All)
        {
            foreach (string key in texts.Keys("fr"))
            {
                string french = texts[key, French];
                var words = EnglishWord.Matches(NotProse.Replace(french, " ")).Cast<Match>().Select(m => m.Value).ToList();
                if (words.Count > 0)
                {
                    english.Add($"{texts.File}.fr.resx {key}: [{string.Join(", ", words)}] {french}");
                }
            }
        }

        Assert.True(english.Count == 0, string.Join("\n", english));
    }

    [Theory]
    [InlineData("La boîte aux lettres fonctionne : les {0} vérifications ont réussi.", false)]
    [InlineData("Le serveur a répondu « 550 5.7.1 Message rejected as spam ».", false)]
    [InlineData("La politique de {0} est en mode none, héritée de _dmarc.{1}.", false)]
    [InlineData("OWA a refusé : redirected back to the logon page with reason={0}.", true)]
    [InlineData("Le MX pointe vers {0}, which is not an OVHcloud host.", true)]
    public void The_detector_finds_English_prose_and_lets_French_with_technical_words_through(string text, bool isEnglish)
        => Assert.Equal(isEnglish, EnglishWord.IsMatch(NotProse.Replace(text, " ")));
}
