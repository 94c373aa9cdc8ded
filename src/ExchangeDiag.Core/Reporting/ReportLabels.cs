using System;
using System.Collections.Generic;
using System.Globalization;

namespace ExchangeDiag.Reporting;

/// <summary>The fixed texts of a report in the culture chosen for it (Resources/Report.resx), and its value formats.</summary>
internal sealed class ReportLabels
{
    private readonly CultureInfo _culture;

    public ReportLabels(CultureInfo culture)
    {
        _culture = culture;
    }

    /// <summary>The two-letter language, for the HTML lang attribute.</summary>
    public string Language => _culture.TwoLetterISOLanguageName == "iv" ? "en" : _culture.TwoLetterISOLanguageName;

    public string this[string key] => Texts.Report[key, _culture];

    public string Format(string key, params object?[] args) => Texts.Report.Format(_culture, key, args);

    public string Status(CheckStatus status) => this["Status" + status];

    public string Duration(TimeSpan duration) => duration.TotalSeconds < 1
        ? Format("Milliseconds", duration.TotalMilliseconds)
        : Format("Seconds", duration.TotalSeconds);

    /// <summary>A time as people read it in any language: ISO date, 24-hour time and the offset.</summary>
    public string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public string YesNo(bool? value) => value == null ? this["Unknown"] : this[value.Value ? "Yes" : "No"];

    public string OrUnknown(string? value) => string.IsNullOrEmpty(value) ? this["Unknown"] : value!;

    public string Title(IReadOnlyList<DiagnosticReport> reports) => reports.Count switch
    {
        0 => this["Title"],
        1 => Format("TitleFor", reports[0].EmailAddress),
        _ => Format("TitleForMany", reports.Count),
    };
}
