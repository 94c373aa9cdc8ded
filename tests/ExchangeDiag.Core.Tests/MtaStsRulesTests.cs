using System;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

public class MtaStsRulesTests
{
    private const string Domain = "example.com";
    private const string Record = "v=STSv1; id=20260101";
    private const string Rpt = "v=TLSRPTv1; rua=mailto:tls@example.com";
    private static readonly string[] Mx = { "mx1.example.net", "mx2.example.net" };

    private static MtaStsCheckResult Run(string[] records, PolicyFetch fetch, string[] mx, params string[] rpt)
    {
        var result = new MtaStsCheckResult(Domain);
        var facts = new MtaStsFacts(Domain, records, fetch, mx, rpt);
        MtaStsCheck.Evaluate(result, facts).ApplyTo(result, MtaStsCheck.PassMessage(result, facts));
        return result;
    }

    private static PolicyFetch Policy(string mode, string mx = "*.example.net", long maxAge = 604800)
        => PolicyFetch.Succeeded(MtaStsPolicy.Parse($"version: STSv1\r\nmode: {mode}\r\nmx: {mx}\r\nmax_age: {maxAge}\r\n"));

    private static readonly PolicyFetch NotFound = PolicyFetch.Failed("status", "the server answers HTTP 404 instead of 200");

    [Fact]
    public void Matching_enforce_policy_passes()
    {
        MtaStsCheckResult result = Run(new[] { Record }, Policy("enforce"), Mx, Rpt);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(MtaStsMode.Enforce, result.Mode);
        Assert.Equal("20260101", result.PolicyId);
        Assert.Empty(result.UnmatchedMx);
        Assert.Equal(new[] { "mailto:tls@example.com" }, result.TlsRptDestinations);
    }

    [Fact]
    public void Nothing_published_passes()
    {
        MtaStsCheckResult result = Run(Array.Empty<string>(), NotFound, Mx);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Contains(result.Steps, s => s.Detail.Contains("optional"));
        Assert.Contains("publishes no MTA-STS policy", result.Message);
    }

    [Fact]
    public void Enforce_with_an_unmatched_mx_fails()
    {
        MtaStsCheckResult result = Run(new[] { Record }, Policy("enforce", "mx1.example.net"), Mx, Rpt);
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, result.Cause);
        Assert.Equal(new[] { "mx2.example.net" }, result.UnmatchedMx);
        Assert.Contains("mx2.example.net", result.Message);
        Assert.Contains("mx: mx2.example.net", result.Remediation);
    }

    [Fact]
    public void Testing_with_an_unmatched_mx_warns()
    {
        MtaStsCheckResult result = Run(new[] { Record }, Policy("testing", "mx1.example.net"), Mx, Rpt);
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, result.Cause);
    }

    [Fact]
    public void Record_without_policy_fails_naming_what_failed()
    {
        MtaStsCheckResult result = Run(new[] { Record }, NotFound, Mx, Rpt);
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("404", result.Message);
    }

    [Fact]
    public void Policy_without_record_warns()
    {
        MtaStsCheckResult result = Run(Array.Empty<string>(), Policy("enforce"), Mx);
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("_mta-sts", result.Message);
    }

    [Fact]
    public void Two_records_fail()
    {
        MtaStsCheckResult result = Run(new[] { Record, "v=STSv1; id=2" }, Policy("enforce"), Mx, Rpt);
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(Record, result.Record);
    }

    [Fact]
    public void Mode_none_and_short_max_age_warn()
    {
        Assert.Equal(CheckStatus.Warning, Run(new[] { Record }, Policy("none"), Mx, Rpt).Status);
        MtaStsCheckResult shortLived = Run(new[] { Record }, Policy("enforce", maxAge: 3600), Mx, Rpt);
        Assert.Equal(CheckStatus.Warning, shortLived.Status);
        Assert.Contains("3600", shortLived.Message);
    }

    [Fact]
    public void Missing_or_bad_tlsrpt_warns()
    {
        Assert.Equal(CheckStatus.Warning, Run(new[] { Record }, Policy("enforce"), Mx).Status);
        Assert.Equal(CheckStatus.Passed, Run(Array.Empty<string>(), NotFound, Mx).Status);
        MtaStsCheckResult bad = Run(Array.Empty<string>(), NotFound, Mx, "v=TLSRPTv1; rua=reports@example.com");
        Assert.Equal(CheckStatus.Warning, bad.Status);
        Assert.Contains("TLS-RPT", bad.Message);
    }

    [Fact]
    public void A_domain_without_mx_host_passes_saying_so()
    {
        MtaStsCheckResult result = Run(new[] { Record }, Policy("enforce"), Array.Empty<string>(), Rpt);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Contains("no MX host", result.Message);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_policy_over_64_KiB_is_not_read()
    {
        using var content = new System.Net.Http.StringContent(new string('a', MtaStsCheck.MaxPolicyLength + 1));
        var ex = await Assert.ThrowsAsync<ExchangeDiag.Checks.AnswerTooLongException>(
            () => ExchangeDiag.Http.HttpExchange.ReadBoundedAsync(content, default, MtaStsCheck.MaxPolicyLength));
        Assert.Contains("64 KiB", ex.Message);
        using var small = new System.Net.Http.StringContent(new string('a', MtaStsCheck.MaxPolicyLength));
        Assert.Equal(MtaStsCheck.MaxPolicyLength, (await ExchangeDiag.Http.HttpExchange.ReadBoundedAsync(small, default, MtaStsCheck.MaxPolicyLength)).Length);
    }
}
