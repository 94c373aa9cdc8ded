using System.Globalization;
using System.Linq;
using Xunit;

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
}
