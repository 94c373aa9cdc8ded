using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using ExchangeDiag.Reporting;
using Xunit;

namespace ExchangeDiag.Tests;

public class ReportImportTests
{
    [Fact]
    public void The_json_export_read_back_writes_the_same_json()
    {
        string first = JsonReportWriter.Write(new[] { ReportFixtures.WrongPassword(), ReportFixtures.Healthy() });
        var document = (PropertyBag)Tree(JsonDocument.Parse(first).RootElement)!;

        Assert.Equal(ReportImport.Shape.Document, ReportImport.ShapeOf(document));
        string second = JsonReportWriter.Write(ReportImport.FromDocument(document).ToList());

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_report_read_back_has_its_verdict_causes_steps_and_times_typed_again()
    {
        DiagnosticReport original = ReportFixtures.WrongPassword();
        var document = (PropertyBag)Tree(JsonDocument.Parse(JsonReportWriter.Write(new[] { original })).RootElement)!;

        DiagnosticReport report = ReportImport.FromDocument(document).Single();

        Assert.Equal(original.EmailAddress, report.EmailAddress);
        Assert.Equal(original.Status, report.Status);
        Assert.Equal(original.Verdict, report.Verdict);
        Assert.Equal(original.Causes.Select(c => c.Cause), report.Causes.Select(c => c.Cause));
        Assert.Equal(original.Causes[0].Evidence, report.Causes[0].Evidence);
        Assert.Equal(original.Results.Select(r => r.Status), report.Results.Select(r => r.Status));
        Assert.Equal(original.Results[0].Steps.Select(s => s.Duration), report.Results[0].Steps.Select(s => s.Duration));
        Assert.Equal(original.StartTime, report.StartTime);
        Assert.Equal(original.Duration, report.Duration);
    }

    [Fact]
    public void A_single_result_makes_a_report_headed_by_its_target()
    {
        CheckResult result = ReportFixtures.WrongPassword().Results[0];

        DiagnosticReport report = ReportImport.FromResult(result, "0.1.0");

        Assert.Equal(result.Target, report.EmailAddress);
        Assert.Equal(result.Status, report.Status);
        Assert.Equal(result.Message, report.Verdict);
        Assert.Same(result, report.Results.Single());
    }

    [Fact]
    public void An_enum_given_as_its_number_or_a_duration_as_text_is_read_too()
    {
        var properties = new PropertyBag();
        properties.Add("Check", "Mx");
        properties.Add("Target", "contoso.com");
        properties.Add("Status", "3");
        properties.Add("Duration", "00:00:01.5000000");

        DiagnosticReport report = ReportImport.FromResult(properties, "0.1.0");

        Assert.Equal((CheckStatus)3, report.Results[0].Status);
        Assert.Equal(TimeSpan.FromSeconds(1.5), report.Results[0].Duration);
    }

    [Theory]
    [InlineData("SrvRecord")]
    [InlineData("2")]
    public void A_deserialized_discovery_keeps_its_urls_method_and_refused_credential(string method)
    {
        var properties = new PropertyBag();
        properties.Add("Check", "Autodiscover");
        properties.Add("Target", "jane@contoso.com");
        properties.Add("Status", "Failed");
        properties.Add("EmailAddress", "jane@contoso.com");
        properties.Add("Method", method);
        properties.Add("Url", "https://autodiscover.contoso.com/autodiscover/autodiscover.xml");
        properties.Add("OwaUrl", "https://ex4.mail.ovh.net/owa/");
        properties.Add("EwsUrl", "https://ex4.mail.ovh.net/EWS/Exchange.asmx");
        properties.Add("Server", "EXCH-INTERNAL");
        properties.Add("Redirects", 2L);
        properties.Add("CredentialRefused", true);

        AutodiscoverResult discovery = ReportImport.Autodiscover(properties)!;

        Assert.Equal("jane@contoso.com", discovery.EmailAddress);
        Assert.Equal(Enum.Parse<AutodiscoverMethod>(method), discovery.Method);
        Assert.Equal("https://ex4.mail.ovh.net/owa/", discovery.OwaUrl);
        Assert.Equal("https://ex4.mail.ovh.net/EWS/Exchange.asmx", discovery.EwsUrl);
        Assert.Equal("EXCH-INTERNAL", discovery.Server);
        Assert.Equal(2, discovery.Redirects);
        Assert.True(discovery.CredentialRefused);
        Assert.Equal(CheckStatus.Failed, discovery.Status);
    }

    [Fact]
    public void Another_check_is_no_discovery()
    {
        var properties = new PropertyBag();
        properties.Add("Check", "Mx");
        properties.Add("Target", "contoso.com");
        properties.Add("Status", "Passed");

        Assert.Null(ReportImport.Autodiscover(properties));
    }

    /// <summary>A JSON value as ConvertFrom-Json and the cmdlet give it to ReportImport.</summary>
    private static object? Tree(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new PropertyBag(), (bag, p) => { bag.Add(p.Name, Tree(p.Value)); return bag; }),
        JsonValueKind.Array => element.EnumerateArray().Select(Tree).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
