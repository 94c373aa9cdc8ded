using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace ExchangeDiag.Reporting;

/// <summary>Chooses the writer for a format, and the format for a file name.</summary>
public static class ReportWriter
{
    private static readonly Dictionary<string, ReportFormat> ByExtension = new Dictionary<string, ReportFormat>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = ReportFormat.Html,
        [".htm"] = ReportFormat.Html,
        [".md"] = ReportFormat.Markdown,
        [".markdown"] = ReportFormat.Markdown,
        [".json"] = ReportFormat.Json,
    };

    /// <summary>The extensions <see cref="FormatFromExtension"/> knows, for error messages.</summary>
    public static IEnumerable<string> KnownExtensions => ByExtension.Keys;

    /// <summary>The format a file name's extension stands for, or null when it stands for none.</summary>
    public static ReportFormat? FormatFromExtension(string path)
        => ByExtension.TryGetValue(Path.GetExtension(path), out ReportFormat format) ? format : (ReportFormat?)null;

    /// <summary>The whole document for <paramref name="reports"/>; headings in <paramref name="culture"/> (JSON has none).</summary>
    public static string Write(ReportFormat format, IReadOnlyList<DiagnosticReport> reports, CultureInfo culture) => format switch
    {
        ReportFormat.Html => HtmlReportWriter.Write(reports, culture),
        ReportFormat.Markdown => MarkdownReportWriter.Write(reports, culture),
        ReportFormat.Json => JsonReportWriter.Write(reports),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format."),
    };
}
