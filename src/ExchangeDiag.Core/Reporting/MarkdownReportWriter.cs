using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ExchangeDiag.Reporting;

/// <summary>
/// GitHub-flavoured Markdown for one or more diagnoses, to paste into a support ticket: it reads
/// as plain text too, so technical values (targets, step details) go into code spans, where
/// nothing is interpreted, and prose is escaped only where Markdown would change its meaning.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>The Markdown document: a summary table when there are several mailboxes, then each mailbox.</summary>
    public static string Write(IReadOnlyList<DiagnosticReport> reports, CultureInfo culture)
    {
        var labels = new ReportLabels(culture);
        var md = new StringBuilder();
        md.Append("# ").Append(Text(labels.Title(reports))).Append("\n\n");
        if (reports.Count > 1)
        {
            md.Append("## ").Append(Text(labels["Summary"])).Append("\n\n");
            Row(md, Text(labels["Mailbox"]), Text(labels["Status"]), Text(labels["Verdict"]), Text(labels["Duration"]));
            md.Append("|---|---|---|---:|\n");
            foreach (DiagnosticReport report in reports)
            {
                Row(md, Text(report.EmailAddress), Text(labels.Status(report.Status)), Text(report.Verdict), Text(labels.Duration(report.Duration)));
            }

            md.Append('\n');
        }

        foreach (DiagnosticReport report in reports)
        {
            WriteMailbox(md, report, labels);
        }

        return md.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>Prose with the characters that Markdown would read as markup escaped, on one line.</summary>
    internal static string Text(string? text)
    {
        var escaped = new StringBuilder();
        foreach (char c in OneLine(text))
        {
            if ("\\`*_<>[]|#~".IndexOf(c) >= 0)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>
    /// A value shown verbatim: a code span whose fence is longer than any run of backticks in it.
    /// Pipes are still escaped, because GitHub splits table cells on them even inside code spans.
    /// </summary>
    internal static string Code(string? text)
    {
        string value = OneLine(text);
        if (value.Length == 0)
        {
            return string.Empty;
        }

        int longestRun = 0;
        int run = 0;
        foreach (char c in value)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = run > longestRun ? run : longestRun;
        }

        string fence = new string('`', longestRun + 1);
        string pad = value.StartsWith("`") || value.EndsWith("`") ? " " : string.Empty;
        return fence + pad + value.Replace("|", "\\|") + pad + fence;
    }

    private static string OneLine(string? text)
        => string.Join(" ", (text ?? string.Empty).Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static void Fact(StringBuilder md, string label, string markdownValue)
        => md.Append("- **").Append(Text(label)).Append("**: ").Append(markdownValue).Append('\n');

    private static void Row(StringBuilder md, params string[] cells)
        => md.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");

    private static void WriteMailbox(StringBuilder md, DiagnosticReport report, ReportLabels labels)
    {
        md.Append("## ").Append(Text(report.EmailAddress)).Append("\n\n")
            .Append("**").Append(Text(labels["Verdict"])).Append(": ").Append(Text(labels.Status(report.Status))).Append("**: ")
            .Append(Text(report.Verdict)).Append("\n\n");

        // A list rather than a table: a table's first row is a heading, and these facts have none.
        Fact(md, labels["Domain"], Code(report.Domain));
        Fact(md, labels["Provider"], Text(labels.OrUnknown(report.Provider?.ToString())));
        Fact(md, labels["ExchangeServer"], report.ExchangeServer == null ? Text(labels["Unknown"]) : Code(report.ExchangeServer));
        Fact(md, labels["Started"], Text(labels.Time(report.StartTime)));
        Fact(md, labels["Duration"], Text(labels.Duration(report.Duration)));
        Fact(md, labels["ModuleVersion"], Text(labels.OrUnknown(report.ModuleVersion)));
        Fact(md, labels["MessagesCulture"], Text(labels.OrUnknown(report.Culture)));
        md.Append('\n');

        md.Append("### ").Append(Text(labels["RootCauses"])).Append("\n\n");
        if (report.Causes.Count == 0)
        {
            md.Append(Text(labels["NoRootCause"])).Append("\n\n");
        }

        int number = 0;
        foreach (RootCause cause in report.Causes)
        {
            md.Append(++number).Append(". **").Append(Text(cause.Cause.ToString())).Append("**: ").Append(Text(cause.Message)).Append('\n');
            SubList(md, labels["Evidence"], cause.Evidence);
            SubList(md, labels["Explains"], cause.Explains);
        }

        if (report.Causes.Count > 0)
        {
            md.Append('\n');
        }

        md.Append("### ").Append(Text(labels["Remediation"])).Append("\n\n");
        IReadOnlyList<string> remediations = ReportContent.Remediations(report);
        if (remediations.Count == 0)
        {
            md.Append(Text(labels["NothingToDo"])).Append('\n');
        }

        for (int i = 0; i < remediations.Count; i++)
        {
            md.Append(i + 1).Append(". ").Append(Text(remediations[i])).Append('\n');
        }

        md.Append('\n');
        if (report.ProviderDiagnosis != null)
        {
            WriteProviderDiagnosis(md, report.ProviderDiagnosis, labels);
        }

        WriteChecks(md, report, labels);
    }

    private static void SubList(StringBuilder md, string label, IReadOnlyCollection<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        md.Append("   - ").Append(Text(label)).Append(":\n");
        foreach (string item in items)
        {
            md.Append("     - ").Append(Text(item)).Append('\n');
        }
    }

    private static void WriteProviderDiagnosis(StringBuilder md, ProviderDiagnosisResult diagnosis, ReportLabels labels)
    {
        md.Append("### ").Append(Text(labels["ProviderDiagnosis"])).Append(": ").Append(Text(labels.Status(diagnosis.Status))).Append("\n\n");
        if (!string.IsNullOrEmpty(diagnosis.Message))
        {
            md.Append(Text(diagnosis.Message)).Append("\n\n");
        }

        Row(md, string.Empty, Text(labels["ProviderAnswer"]));
        md.Append("|---|---|\n");
        foreach (KeyValuePair<string, bool?> answer in ReportContent.ProviderAnswers(diagnosis))
        {
            Row(md, Code(answer.Key), Text(labels.YesNo(answer.Value)));
        }

        if (diagnosis.LastCheck != null)
        {
            Row(md, Text(labels["LastCheck"]), Text(labels.Time(diagnosis.LastCheck.Value)));
        }

        md.Append('\n');
        if (diagnosis.Disagreements.Count > 0)
        {
            md.Append(Text(labels["Disagreements"])).Append(":\n\n");
            foreach (string disagreement in diagnosis.Disagreements)
            {
                md.Append("- ").Append(Text(disagreement)).Append('\n');
            }

            md.Append('\n');
        }
    }

    private static void WriteChecks(StringBuilder md, DiagnosticReport report, ReportLabels labels)
    {
        md.Append("### ").Append(Text(labels["Checks"])).Append("\n\n");
        if (report.Results.Count == 0)
        {
            md.Append(Text(labels["NoCheck"])).Append("\n\n");
            return;
        }

        Row(md, Text(labels["Check"]), Text(labels["Target"]), Text(labels["Status"]), Text(labels["Message"]), Text(labels["Duration"]));
        md.Append("|---|---|---|---|---:|\n");
        foreach (CheckResult result in report.Results)
        {
            Row(md, Text(result.Check), Code(result.Target), Text(labels.Status(result.Status)), Text(result.Message), Text(labels.Duration(result.Duration)));
        }

        md.Append('\n');
        foreach (CheckResult result in report.Results)
        {
            WriteCheck(md, result, labels);
        }
    }

    private static void WriteCheck(StringBuilder md, CheckResult result, ReportLabels labels)
    {
        md.Append("#### ").Append(Text(result.Check)).Append(' ').Append(Code(result.Target)).Append(": ")
            .Append(Text(labels.Status(result.Status))).Append(" (").Append(Text(labels.Duration(result.Duration))).Append(")\n\n")
            .Append(Text(result.Message)).Append("\n\n");
        var terms = new List<KeyValuePair<string, string>>();
        if (result.Cause != DiagnosticCause.None)
        {
            terms.Add(new KeyValuePair<string, string>(labels["Cause"], Code(result.Cause.ToString())));
        }

        if (result.ExplainedBy != DiagnosticCause.None)
        {
            terms.Add(new KeyValuePair<string, string>(labels["ExplainedBy"], Code(result.ExplainedBy.ToString())));
        }

        AddTerm(terms, labels["Remediation"], result.Remediation, Text);
        AddTerm(terms, labels["Expected"], result.Expected, Code);
        AddTerm(terms, labels["Observed"], result.Observed, Code);
        foreach (KeyValuePair<string, string> term in terms)
        {
            Fact(md, term.Key, term.Value);
        }

        if (terms.Count > 0)
        {
            md.Append('\n');
        }

        if (result.Steps.Count == 0)
        {
            md.Append(Text(labels["NoStep"])).Append("\n\n");
            return;
        }

        md.Append("**").Append(Text(labels.Format("Steps", result.Steps.Count))).Append("**\n\n");
        Row(md, Text(labels["Step"]), Text(labels["Status"]), Text(labels["Detail"]), Text(labels["Duration"]));
        md.Append("|---|---|---|---:|\n");
        foreach (CheckStep step in result.Steps)
        {
            Row(md, Text(step.Name), Text(labels.Status(step.Status)), Code(step.Detail), Text(labels.Duration(step.Duration)));
        }

        md.Append('\n');
    }

    private static void AddTerm(List<KeyValuePair<string, string>> terms, string label, string? value, System.Func<string?, string> render)
    {
        if (!string.IsNullOrEmpty(value))
        {
            terms.Add(new KeyValuePair<string, string>(label, render(value)));
        }
    }
}
