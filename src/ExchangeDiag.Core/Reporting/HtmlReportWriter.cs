using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ExchangeDiag.Reporting;

/// <summary>
/// One self-contained HTML page for one or more diagnoses. It holds no script and refers to
/// nothing outside itself (the CSS is inline), so it opens the same from a mail attachment, a
/// ticket or an offline disk, and prints with its colours.
/// </summary>
public static class HtmlReportWriter
{
    // Status colours as on a traffic light; print-color-adjust keeps them on paper.
    private const string Style = @"
:root { --passed: #1a7f37; --warning: #9a6700; --failed: #cf222e; --error: #6f2da8; --skipped: #6e7781; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: system-ui, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; color: #1f2328; line-height: 1.45; max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
table.facts th { width: 14rem; }
td.time { white-space: nowrap; text-align: right; }
.badge { display: inline-block; color: #fff; border-radius: .3rem; padding: .05rem .45rem; font-size: .85rem; font-weight: 600; white-space: nowrap; }
.status-passed .badge, .badge.status-passed { background: var(--passed); }
.status-warning .badge, .badge.status-warning { background: var(--warning); }
.status-failed .badge, .badge.status-failed { background: var(--failed); }
.status-error .badge, .badge.status-error { background: var(--error); }
.status-skipped .badge, .badge.status-skipped { background: var(--skipped); }
.verdict { border: 1px solid #d0d7de; border-left: .6rem solid var(--skipped); border-radius: .3rem; padding: .7rem 1rem; margin: 1rem 0; }
.verdict.status-passed { border-left-color: var(--passed); background: #dafbe1; }
.verdict.status-warning { border-left-color: var(--warning); background: #fff8c5; }
.verdict.status-failed { border-left-color: var(--failed); background: #ffebe9; }
.verdict.status-error { border-left-color: var(--error); background: #f3e8fb; }
.verdict.status-skipped { background: #eaeef2; }
.verdict-label { margin: 0; font-size: .95rem; font-weight: 600; }
.verdict-text { margin: .3rem 0 0; font-size: 1.3rem; font-weight: 600; }
.cause { margin-bottom: .8rem; }
.cause-name { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-weight: 600; }
.check { border: 1px solid #d0d7de; border-left: .35rem solid var(--skipped); border-radius: .3rem; padding: .5rem .8rem; margin: .7rem 0; }
.check.status-passed { border-left-color: var(--passed); }
.check.status-warning { border-left-color: var(--warning); }
.check.status-failed { border-left-color: var(--failed); }
.check.status-error { border-left-color: var(--error); }
.check h4 { margin: 0 0 .3rem; font-size: 1rem; }
.check dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .3rem 0; }
.check dt { font-weight: 600; }
.check dd { margin: 0; }
.target, .detail { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: .88rem; overflow-wrap: anywhere; }
.detail { white-space: pre-wrap; }
summary { cursor: pointer; font-weight: 600; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  .mailbox + .mailbox { break-before: page; page-break-before: always; }
  .verdict, .cause, .check h4, tr { break-inside: avoid; page-break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  /* A printed page cannot be clicked open: every step trace is printed expanded. */
  details::details-content { content-visibility: visible; display: block; }
  summary { list-style: none; }
  summary::-webkit-details-marker { display: none; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 14mm; }
";

    /// <summary>The HTML document: a summary table when there are several mailboxes, then each mailbox.</summary>
    public static string Write(IReadOnlyList<DiagnosticReport> reports, CultureInfo culture)
    {
        var labels = new ReportLabels(culture);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(labels.Language).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(labels.Title(reports))).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Encode(labels.Title(reports))).Append("</h1>\n");
        if (reports.Count > 1)
        {
            WriteSummary(html, reports, labels);
        }

        for (int i = 0; i < reports.Count; i++)
        {
            WriteMailbox(html, reports[i], i + 1, labels);
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>HTML-encodes text for an element or a quoted attribute. Other characters stay as they are: the page is UTF-8.</summary>
    internal static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var encoded = new StringBuilder(text!.Length);
        foreach (char c in text)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    private static void WriteSummary(StringBuilder html, IReadOnlyList<DiagnosticReport> reports, ReportLabels labels)
    {
        html.Append("<h2>").Append(Encode(labels["Summary"])).Append("</h2>\n<table class=\"summary\">\n<thead><tr>")
            .Append(Th(labels["Mailbox"])).Append(Th(labels["Status"])).Append(Th(labels["Verdict"])).Append(Th(labels["Duration"]))
            .Append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < reports.Count; i++)
        {
            DiagnosticReport report = reports[i];
            html.Append("<tr><td><a href=\"#mailbox-").Append(i + 1).Append("\">").Append(Encode(report.EmailAddress)).Append("</a></td><td>")
                .Append(Badge(report.Status, labels)).Append("</td><td>").Append(Encode(report.Verdict))
                .Append("</td><td class=\"time\">").Append(Encode(labels.Duration(report.Duration))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void WriteMailbox(StringBuilder html, DiagnosticReport report, int number, ReportLabels labels)
    {
        html.Append("<section class=\"mailbox\" id=\"mailbox-").Append(number).Append("\">\n")
            .Append("<h2>").Append(Encode(report.EmailAddress)).Append("</h2>\n")
            .Append("<div class=\"verdict ").Append(StatusClass(report.Status)).Append("\">\n")
            .Append("<p class=\"verdict-label\">").Append(Encode(labels["Verdict"])).Append(' ').Append(Badge(report.Status, labels)).Append("</p>\n")
            .Append("<p class=\"verdict-text\">").Append(Encode(report.Verdict)).Append("</p>\n</div>\n");

        WriteFacts(html, report, labels);
        WriteCauses(html, report, labels);
        WriteRemediation(html, report, labels);
        if (report.ProviderDiagnosis != null)
        {
            WriteProviderDiagnosis(html, report.ProviderDiagnosis, labels);
        }

        WriteChecks(html, report, labels);
        html.Append("</section>\n");
    }

    private static void WriteFacts(StringBuilder html, DiagnosticReport report, ReportLabels labels)
    {
        html.Append("<table class=\"facts\">\n");
        Fact(html, labels["Domain"], report.Domain);
        Fact(html, labels["Provider"], labels.OrUnknown(report.Provider?.ToString()));
        Fact(html, labels["ExchangeServer"], labels.OrUnknown(report.ExchangeServer));
        Fact(html, labels["Started"], labels.Time(report.StartTime));
        Fact(html, labels["Duration"], labels.Duration(report.Duration));
        Fact(html, labels["ModuleVersion"], labels.OrUnknown(report.ModuleVersion));
        Fact(html, labels["MessagesCulture"], labels.OrUnknown(report.Culture));
        html.Append("</table>\n");
    }

    private static void Fact(StringBuilder html, string label, string value)
        => html.Append("<tr>").Append(Th(label)).Append("<td>").Append(Encode(value)).Append("</td></tr>\n");

    private static void WriteCauses(StringBuilder html, DiagnosticReport report, ReportLabels labels)
    {
        html.Append("<h3>").Append(Encode(labels["RootCauses"])).Append("</h3>\n");
        if (report.Causes.Count == 0)
        {
            html.Append("<p>").Append(Encode(labels["NoRootCause"])).Append("</p>\n");
            return;
        }

        html.Append("<ol class=\"causes\">\n");
        foreach (RootCause cause in report.Causes)
        {
            html.Append("<li class=\"cause\"><p><span class=\"cause-name\">").Append(Encode(cause.Cause.ToString())).Append("</span>: ")
                .Append(Encode(cause.Message)).Append("</p>\n");
            List("evidence", labels["Evidence"], cause.Evidence, html);
            List("explains", labels["Explains"], cause.Explains, html);
            html.Append("</li>\n");
        }

        html.Append("</ol>\n");
    }

    private static void List(string cssClass, string label, IReadOnlyCollection<string> items, StringBuilder html)
    {
        if (items.Count == 0)
        {
            return;
        }

        html.Append("<p>").Append(Encode(label)).Append(":</p>\n<ul class=\"").Append(cssClass).Append("\">\n");
        foreach (string item in items)
        {
            html.Append("<li>").Append(Encode(item)).Append("</li>\n");
        }

        html.Append("</ul>\n");
    }

    private static void WriteRemediation(StringBuilder html, DiagnosticReport report, ReportLabels labels)
    {
        html.Append("<h3>").Append(Encode(labels["Remediation"])).Append("</h3>\n");
        IReadOnlyList<string> remediations = ReportContent.Remediations(report);
        if (remediations.Count == 0)
        {
            html.Append("<p>").Append(Encode(labels["NothingToDo"])).Append("</p>\n");
            return;
        }

        html.Append("<ol class=\"remediation\">\n");
        foreach (string remediation in remediations)
        {
            html.Append("<li>").Append(Encode(remediation)).Append("</li>\n");
        }

        html.Append("</ol>\n");
    }

    private static void WriteProviderDiagnosis(StringBuilder html, ProviderDiagnosisResult diagnosis, ReportLabels labels)
    {
        html.Append("<h3>").Append(Encode(labels["ProviderDiagnosis"])).Append(' ').Append(Badge(diagnosis.Status, labels)).Append("</h3>\n");
        if (!string.IsNullOrEmpty(diagnosis.Message))
        {
            html.Append("<p>").Append(Encode(diagnosis.Message)).Append("</p>\n");
        }

        html.Append("<table class=\"provider\">\n");
        foreach (KeyValuePair<string, bool?> answer in ReportContent.ProviderAnswers(diagnosis))
        {
            html.Append("<tr>").Append(Th(answer.Key)).Append("<td>").Append(Encode(labels.YesNo(answer.Value))).Append("</td></tr>\n");
        }

        if (diagnosis.LastCheck != null)
        {
            Fact(html, labels["LastCheck"], labels.Time(diagnosis.LastCheck.Value));
        }

        html.Append("</table>\n");
        List("disagreements", labels["Disagreements"], diagnosis.Disagreements, html);
    }

    private static void WriteChecks(StringBuilder html, DiagnosticReport report, ReportLabels labels)
    {
        html.Append("<h3>").Append(Encode(labels["Checks"])).Append("</h3>\n");
        if (report.Results.Count == 0)
        {
            html.Append("<p>").Append(Encode(labels["NoCheck"])).Append("</p>\n");
            return;
        }

        html.Append("<table class=\"checks\">\n<thead><tr>").Append(Th(labels["Check"])).Append(Th(labels["Target"]))
            .Append(Th(labels["Status"])).Append(Th(labels["Message"])).Append(Th(labels["Duration"])).Append("</tr></thead>\n<tbody>\n");
        foreach (CheckResult result in report.Results)
        {
            html.Append("<tr><td>").Append(Encode(result.Check)).Append("</td><td class=\"target\">").Append(Encode(result.Target))
                .Append("</td><td>").Append(Badge(result.Status, labels)).Append("</td><td>").Append(Encode(result.Message))
                .Append("</td><td class=\"time\">").Append(Encode(labels.Duration(result.Duration))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        foreach (CheckResult result in report.Results)
        {
            WriteCheck(html, result, labels);
        }
    }

    private static void WriteCheck(StringBuilder html, CheckResult result, ReportLabels labels)
    {
        html.Append("<div class=\"check ").Append(StatusClass(result.Status)).Append("\">\n<h4>").Append(Badge(result.Status, labels)).Append(' ')
            .Append(Encode(result.Check)).Append(" <span class=\"target\">").Append(Encode(result.Target)).Append("</span> &middot; ")
            .Append(Encode(labels.Duration(result.Duration))).Append("</h4>\n<p>").Append(Encode(result.Message)).Append("</p>\n<dl>\n");
        if (result.Cause != DiagnosticCause.None)
        {
            Term(html, labels["Cause"], result.Cause.ToString());
        }

        if (result.ExplainedBy != DiagnosticCause.None)
        {
            Term(html, labels["ExplainedBy"], result.ExplainedBy.ToString());
        }

        Term(html, labels["Remediation"], result.Remediation);
        Term(html, labels["Expected"], result.Expected);
        Term(html, labels["Observed"], result.Observed);
        html.Append("</dl>\n");

        html.Append(ReportContent.OpenTrace(result) ? "<details class=\"trace\" open>\n" : "<details class=\"trace\">\n")
            .Append("<summary>").Append(Encode(labels.Format("Steps", result.Steps.Count))).Append("</summary>\n");
        if (result.Steps.Count == 0)
        {
            html.Append("<p>").Append(Encode(labels["NoStep"])).Append("</p>\n");
        }
        else
        {
            html.Append("<table class=\"steps\">\n<thead><tr>").Append(Th(labels["Step"])).Append(Th(labels["Status"]))
                .Append(Th(labels["Detail"])).Append(Th(labels["Duration"])).Append("</tr></thead>\n<tbody>\n");
            foreach (CheckStep step in result.Steps)
            {
                html.Append("<tr><td>").Append(Encode(step.Name)).Append("</td><td>").Append(Badge(step.Status, labels))
                    .Append("</td><td class=\"detail\">").Append(Encode(step.Detail)).Append("</td><td class=\"time\">")
                    .Append(Encode(labels.Duration(step.Duration))).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</details>\n</div>\n");
    }

    private static void Term(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            html.Append("<dt>").Append(Encode(label)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>\n");
        }
    }

    private static string Th(string label) => "<th>" + Encode(label) + "</th>";

    private static string StatusClass(CheckStatus status) => "status-" + status.ToString().ToLowerInvariant();

    private static string Badge(CheckStatus status, ReportLabels labels)
        => "<span class=\"badge " + StatusClass(status) + "\">" + Encode(labels.Status(status)) + "</span>";
}
