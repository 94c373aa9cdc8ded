using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExchangeDiag.Reporting;
using Xunit;

namespace ExchangeDiag.Tests;

public class ReportWriterTests
{
    private static readonly CultureInfo English = new CultureInfo("en-US");
    private static readonly CultureInfo French = new CultureInfo("fr-FR");

    private static IReadOnlyList<DiagnosticReport> Two => new[] { ReportFixtures.WrongPassword(), ReportFixtures.Healthy() };

    private static IReadOnlyList<DiagnosticReport> One => new[] { ReportFixtures.WrongPassword() };

    [Theory]
    [InlineData("report.html", ReportFormat.Html)]
    [InlineData("REPORT.HTM", ReportFormat.Html)]
    [InlineData("ticket.md", ReportFormat.Markdown)]
    [InlineData("ticket.markdown", ReportFormat.Markdown)]
    [InlineData("/tmp/a.b/report.json", ReportFormat.Json)]
    public void The_extension_names_the_format(string path, ReportFormat format)
        => Assert.Equal(format, ReportWriter.FormatFromExtension(path));

    [Theory]
    [InlineData("report.txt")]
    [InlineData("report")]
    [InlineData("report.html.bak")]
    public void An_unknown_extension_names_no_format(string path)
        => Assert.Null(ReportWriter.FormatFromExtension(path));

    [Fact]
    public void Html_refers_to_nothing_outside_itself_and_runs_no_script()
    {
        string html = HtmlReportWriter.Write(Two, English);

        foreach (string reference in new[] { "src=", "href=\"http", "href='http", "url(", "@import", "<link", "<script", "<iframe", "<object", "<embed" })
        {
            Assert.DoesNotContain(reference, html, StringComparison.OrdinalIgnoreCase);
        }

        // The only links are anchors to the mailboxes further down.
        Assert.All(Regex.Matches(html, "href=\"([^\"]*)\"").Cast<Match>(), m => Assert.StartsWith("#mailbox-", m.Groups[1].Value));
    }

    [Fact]
    public void Html_encodes_every_text_it_shows()
    {
        string html = HtmlReportWriter.Write(One, English);

        Assert.Contains("The server said &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; left | a pipe", html);
        Assert.DoesNotContain("<script>", html);
    }

    [Fact]
    public void Html_shows_the_verdict_first_then_causes_remediation_and_every_check()
    {
        string html = HtmlReportWriter.Write(One, English);

        int verdict = html.IndexOf("The password is wrong: every protocol refused it.", StringComparison.Ordinal);
        int causes = html.IndexOf("<h3>Root causes</h3>", StringComparison.Ordinal);
        int evidence = html.IndexOf("535 5.7.3 Authentication unsuccessful</li>", StringComparison.Ordinal);
        int remediation = html.IndexOf("<h3>What to do</h3>", StringComparison.Ordinal);
        int checks = html.IndexOf("<h3>Checks</h3>", StringComparison.Ordinal);
        Assert.True(verdict > 0 && verdict < causes && causes < evidence && evidence < remediation && remediation < checks, "verdict, causes, evidence, remediation, checks in that order");
        Assert.Contains("Reset the mailbox password in the control panel", html);
        Assert.Contains("<div class=\"verdict status-failed\">", html);
        foreach (CheckResult result in ReportFixtures.WrongPassword().Results)
        {
            Assert.Contains($"<div class=\"check status-{result.Status.ToString().ToLowerInvariant()}\">", html);
        }

        Assert.Contains("<span class=\"badge status-skipped\">Skipped</span>", html);
        Assert.Contains("C: AUTH LOGIN ********\nS: 535 5.7.3", html);
        Assert.Contains("<th>IsSpammer</th><td>No</td>", html);
        Assert.Contains("<th>CanSendEmail</th><td>Unknown</td>", html);
    }

    [Fact]
    public void Html_opens_the_trace_of_checks_that_did_not_pass_and_prints_every_trace()
    {
        string html = HtmlReportWriter.Write(One, English);

        var traces = Regex.Matches(html, "<div class=\"check status-(\\w+)\">.*?<details class=\"trace\"( open)?>", RegexOptions.Singleline).Cast<Match>().ToList();
        Assert.Equal(5, traces.Count);
        Assert.All(traces, t => Assert.Equal(t.Groups[1].Value != "passed", t.Groups[2].Success));
        Assert.Contains("@media print", html);
        Assert.Contains("details::details-content", html);
        Assert.Contains("print-color-adjust: exact", html);
    }

    [Fact]
    public void Html_of_several_mailboxes_starts_with_a_summary_and_breaks_pages_between_them()
    {
        string html = HtmlReportWriter.Write(Two, English);

        int summary = html.IndexOf("<table class=\"summary\">", StringComparison.Ordinal);
        int first = html.IndexOf("<section class=\"mailbox\" id=\"mailbox-1\">", StringComparison.Ordinal);
        int second = html.IndexOf("<section class=\"mailbox\" id=\"mailbox-2\">", StringComparison.Ordinal);
        Assert.True(summary > 0 && summary < first && first < second);
        Assert.Contains("<a href=\"#mailbox-2\">other@lab.test</a>", html);
        Assert.Contains(".mailbox + .mailbox { break-before: page;", html);
        Assert.DoesNotContain("<table class=\"summary\">", HtmlReportWriter.Write(One, English));
    }

    [Fact]
    public void Html_and_Markdown_headings_follow_the_culture()
    {
        string html = HtmlReportWriter.Write(One, French);
        string markdown = MarkdownReportWriter.Write(One, French);

        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("<h3>Vérifications</h3>", html);
        Assert.Contains("<h3>Que faire</h3>", html);
        Assert.Contains(">Échec</span>", html);
        Assert.Contains("### Vérifications", markdown);
        Assert.Contains("### Causes", markdown);
        Assert.Contains("Rapport ExchangeDiag : healthy@lab.test", markdown);
        Assert.Contains("4,3 s", markdown);
        Assert.DoesNotContain("What to do", html + markdown);
        Assert.Contains("<html lang=\"en\">", HtmlReportWriter.Write(One, English));
        Assert.Contains("### Checks", MarkdownReportWriter.Write(One, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Markdown_escapes_pipes_so_every_table_row_keeps_its_columns()
    {
        string markdown = MarkdownReportWriter.Write(Two, English);

        Assert.Contains(@"left \| a pipe", markdown);
        Assert.Contains(@"\<script\>", markdown);
        string[] lines = markdown.Split('\n');
        int columns = 0;
        foreach (string line in lines)
        {
            if (!line.StartsWith("|", StringComparison.Ordinal))
            {
                columns = 0;
                continue;
            }

            int cells = Regex.Matches(line, @"(?<!\\)\|").Count;
            columns = columns == 0 ? cells : columns;
            Assert.True(cells == columns, $"row '{line}' has {cells - 1} cells, its table {columns - 1}");
        }
    }

    [Fact]
    public void Markdown_has_headings_a_summary_and_the_step_trace()
    {
        string markdown = MarkdownReportWriter.Write(Two, English);

        Assert.StartsWith("# ExchangeDiag report: 2 mailboxes\n", markdown);
        Assert.Contains("\n## Summary\n", markdown);
        Assert.Contains("\n## healthy@lab.test\n", markdown);
        Assert.Contains("**Verdict: Failed**: The password is wrong: every protocol refused it.", markdown);
        Assert.Contains("- **Domain**: `lab.test`\n- **Provider**: OvhEurope\n- **Exchange server**: `ex4.lab.test`\n", markdown);
        Assert.Contains("1. **WrongPassword**: Every protocol refused the credential.", markdown);
        Assert.Contains("#### SmtpSend `ex4.lab.test:587`: Failed (2.3 s)", markdown);
        Assert.Contains("| AUTH LOGIN | Failed | `C: AUTH LOGIN ******** S: 535 5.7.3 Authentication unsuccessful` | 2.1 s |", markdown);
        Assert.Contains("| `IsSpammer` | No |", markdown);
    }

    [Fact]
    public void Markdown_code_spans_survive_backticks()
    {
        Assert.Equal("``a`b``", MarkdownReportWriter.Code("a`b"));
        Assert.Equal("``` `` ```", MarkdownReportWriter.Code("``"));
        Assert.Equal(@"`a\|b`", MarkdownReportWriter.Code("a|b"));
    }

    [Fact]
    public void Json_parses_and_has_a_schema_version_and_every_report()
    {
        using JsonDocument json = JsonDocument.Parse(JsonReportWriter.Write(Two));

        Assert.Equal(1, json.RootElement.GetProperty("SchemaVersion").GetInt32());
        Assert.Equal(new[] { "SchemaVersion", "Reports" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, json.RootElement.GetProperty("Reports").GetArrayLength());
    }

    [Fact]
    public void Json_writes_enums_as_names_durations_as_milliseconds_and_times_in_iso_8601()
    {
        using JsonDocument json = JsonDocument.Parse(JsonReportWriter.Write(One));
        JsonElement report = json.RootElement.GetProperty("Reports")[0];

        Assert.Equal("Failed", report.GetProperty("Status").GetString());
        Assert.Equal("OvhEurope", report.GetProperty("Provider").GetString());
        Assert.Equal(4321.5, report.GetProperty("Duration").GetDouble());
        Assert.Equal("2026-11-28T09:15:30.0000000+01:00", report.GetProperty("StartTime").GetString());
        Assert.Equal("WrongPassword", report.GetProperty("Causes")[0].GetProperty("Cause").GetString());
        JsonElement mx = report.GetProperty("Results")[0];
        Assert.Equal(12.25, mx.GetProperty("Duration").GetDouble());
        Assert.Equal(JsonValueKind.String, mx.GetProperty("Steps")[0].GetProperty("Status").ValueKind);
        Assert.Equal(8, mx.GetProperty("Steps")[0].GetProperty("Duration").GetDouble());
        foreach (JsonElement result in report.GetProperty("Results").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, result.GetProperty("Status").ValueKind);
            Assert.Equal(JsonValueKind.String, result.GetProperty("Cause").ValueKind);
            Assert.Equal(JsonValueKind.String, result.GetProperty("ExplainedBy").ValueKind);
        }

        Assert.Equal("2027-01-01T00:00:00.0000000Z", report.GetProperty("Results")[4].GetProperty("NotAfter").GetString());
    }

    [Fact]
    public void Json_includes_each_result_types_own_properties_and_nested_results()
    {
        using JsonDocument json = JsonDocument.Parse(JsonReportWriter.Write(One));
        JsonElement results = json.RootElement.GetProperty("Reports")[0].GetProperty("Results");

        Assert.Equal(new[] { "MxCheckResult", "OwaLoginResult", "SmtpSendResult", "MailFlowResult", "CertificateResult" }, results.EnumerateArray().Select(r => r.GetProperty("Type").GetString()));
        Assert.Equal("mx1.mail.ovh.net", results[0].GetProperty("Records")[1].GetProperty("Exchange").GetString());
        Assert.Equal(5, results[0].GetProperty("Records")[1].GetProperty("Preference").GetInt32());
        Assert.Equal("InvalidCredentials", results[1].GetProperty("Outcome").GetString());
        Assert.Equal(ReportFixtures.HostileMessage, results[1].GetProperty("Message").GetString());
        Assert.Equal("5.7.3", results[2].GetProperty("ServerReply").GetProperty("EnhancedCode").GetString());
        Assert.Equal(new[] { "LOGIN", "PLAIN" }, results[2].GetProperty("AuthMechanisms").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("SmtpSendResult", results[3].GetProperty("SendResult").GetProperty("Type").GetString());
        Assert.Equal(JsonValueKind.Null, results[3].GetProperty("MessageLatency").ValueKind);
        Assert.Equal("None", results[4].GetProperty("StartTls").GetString());
        JsonElement provider = json.RootElement.GetProperty("Reports")[0].GetProperty("ProviderDiagnosis");
        Assert.Equal("ProviderDiagnosisResult", provider.GetProperty("Type").GetString());
        Assert.False(provider.GetProperty("ConnectiveOwa").GetBoolean());
        Assert.Equal(JsonValueKind.Null, provider.GetProperty("CanSendEmail").ValueKind);
    }

    [Fact]
    public void Json_field_names_and_order_are_those_documented()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "report-json.md"));
        using JsonDocument json = JsonDocument.Parse(JsonReportWriter.Write(One));
        JsonElement report = json.RootElement.GetProperty("Reports")[0];

        Assert.Equal(DocumentedFields(doc, "DiagnosticReport"), report.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DocumentedFields(doc, "RootCause"), report.GetProperty("Causes")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(DocumentedFields(doc, "CheckStep"), report.GetProperty("Results")[0].GetProperty("Steps")[0].EnumerateObject().Select(p => p.Name));
        List<string> common = DocumentedFields(doc, "CheckResult");
        foreach (JsonElement result in report.GetProperty("Results").EnumerateArray().Append(report.GetProperty("ProviderDiagnosis")))
        {
            List<string> names = result.EnumerateObject().Select(p => p.Name).ToList();
            Assert.Equal(common, names.Take(common.Count));
            string type = result.GetProperty("Type").GetString()!;
            Assert.Equal(DocumentedFields(doc, type), names.Skip(common.Count));
        }
    }

    [Theory]
    [InlineData(typeof(MxRecordInfo))]
    [InlineData(typeof(SrvRecordInfo))]
    [InlineData(typeof(Mail.SmtpReply))]
    [InlineData(typeof(CertificateInfo))]
    public void Json_documents_the_fields_of_the_objects_results_hold(Type type)
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "report-json.md"));

        Assert.Equal(DocumentedFields(doc, type.Name), OwnProperties(type));
    }

    [Fact]
    public void Json_documents_the_own_fields_of_every_result_type()
    {
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "report-json.md"));
        IEnumerable<Type> resultTypes = typeof(CheckResult).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(CheckResult)) && !t.IsAbstract);

        Assert.NotEmpty(resultTypes);
        foreach (Type type in resultTypes)
        {
            Assert.Equal(DocumentedFields(doc, type.Name), OwnProperties(type));
        }
    }

    [Fact]
    public void Json_strings_are_escaped_and_inert_in_html()
    {
        var json = new JsonTextBuilder();
        json.String("a\"b\\c\n\t\u0001</script>&\u2028");

        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u0001\\u003c/script\\u003e\\u0026\\u2028\"", json.ToString());
        Assert.Equal("a\"b\\c\n\t\u0001</script>&\u2028", JsonDocument.Parse(json.ToString()).RootElement.GetString());
    }

    [Fact]
    public void Every_writer_is_a_pure_function_of_its_input()
    {
        foreach (ReportFormat format in Enum.GetValues(typeof(ReportFormat)))
        {
            Assert.Equal(ReportWriter.Write(format, Two, English), ReportWriter.Write(format, Two, English));
        }
    }

    /// <summary>The field names listed, in order, in the first column of the table under "## Name" or "### Name".</summary>
    private static List<string> DocumentedFields(string doc, string section)
    {
        Match heading = Regex.Match(doc, $@"^#{{2,3}} `?{section}`?\s*$", RegexOptions.Multiline);
        Assert.True(heading.Success, $"docs/report-json.md has no section {section}");
        string rest = doc.Substring(heading.Index + heading.Length);
        Match next = Regex.Match(rest, @"^#{2,3} ", RegexOptions.Multiline);
        string body = next.Success ? rest.Substring(0, next.Index) : rest;
        return Regex.Matches(body, @"^\| `(\w+)` \|", RegexOptions.Multiline).Cast<Match>().Select(m => m.Groups[1].Value).ToList();
    }

    private static IEnumerable<string> OwnProperties(Type type)
        => type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .OrderBy(p => p.MetadataToken).Select(p => p.Name);

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExchangeDiag.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ExchangeDiag.sln) is not above " + AppContext.BaseDirectory);
    }
}
