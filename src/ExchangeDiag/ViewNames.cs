using System.Globalization;
using System.Management.Automation;

namespace ExchangeDiag.Commands;

/// <summary>
/// Chooses the language of the console views. A cmdlet that writes its texts in French puts a
/// decorated type name (ExchangeDiag.CheckResult#fr, ExchangeDiag.DiagnosticReport#fr) first among
/// the written object's type names; the format file has French views for those names. The object
/// itself is unchanged: Status stays the English enum value for scripts.
/// </summary>
internal static class ViewNames
{
    public static object ForCulture(object result, CultureInfo culture)
    {
        if (culture.TwoLetterISOLanguageName != "fr")
        {
            return result;
        }

        string? name = result switch
        {
            CheckResult _ => "ExchangeDiag.CheckResult#fr",
            DiagnosticReport _ => "ExchangeDiag.DiagnosticReport#fr",
            _ => null,
        };
        if (name == null)
        {
            return result;
        }

        if (result is DiagnosticReport report)
        {
            // $report.Results | Format-Table shows French headers too: PowerShell keeps the type
            // names a wrapper was given with the object itself, so every later wrapper finds them.
            foreach (CheckResult check in report.Results)
            {
                Decorate(check, "ExchangeDiag.CheckResult#fr");
            }
        }

        return Decorate(result, name);
    }

    private static PSObject Decorate(object result, string name)
    {
        var wrapped = PSObject.AsPSObject(result);
        if (wrapped.TypeNames.Count == 0 || wrapped.TypeNames[0] != name)
        {
            wrapped.TypeNames.Insert(0, name);
        }

        return wrapped;
    }
}
