namespace ExchangeDiag.Reporting;

/// <summary>The kinds of document Export-ExchangeDiagnosticReport writes.</summary>
public enum ReportFormat
{
    /// <summary>One self-contained HTML page: inline CSS, no script, nothing fetched; prints well.</summary>
    Html,

    /// <summary>GitHub-flavoured Markdown, to paste into a support ticket.</summary>
    Markdown,

    /// <summary>JSON with a versioned schema (docs/report-json.md), for automation.</summary>
    Json,
}
