using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
        => Run(records, fetch, mx, rpt, null);

    private static MtaStsCheckResult Run(string[] records, PolicyFetch fetch, string[] mx, string[] rpt, string? rptUnknown)
    {
        var result = new MtaStsCheckResult(Domain);
        var facts = new MtaStsFacts(Domain, records, fetch, mx, rpt, rptUnknown);
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
    public void The_policy_is_fetched_only_for_one_valid_record()
    {
        // Without a record senders never fetch the policy; the check does not either (a wildcard A
        // record would make it call an unrelated web host for every domain).
        Assert.False(MtaStsCheck.ShouldFetch(Array.Empty<string>()));
        Assert.False(MtaStsCheck.ShouldFetch(new[] { Record, "v=STSv1; id=2" }));
        Assert.False(MtaStsCheck.ShouldFetch(new[] { "v=STSv1;" }));
        Assert.True(MtaStsCheck.ShouldFetch(new[] { Record }));
        MtaStsCheckResult result = Run(Array.Empty<string>(), PolicyFetch.NotFetched, Mx);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Contains("policy not fetched", result.Observed);
    }

    // ---- finding 1: every text bounded ----

    [Fact]
    public void A_huge_rua_list_gives_a_bounded_message_and_trace()
    {
        string rpt = "v=TLSRPTv1; rua=" + new string(',', 60000);
        TlsRptRecord record = TlsRptRecord.Parse(rpt);
        Assert.True(record.Errors.Count <= BoundedProblems.Kept);
        Assert.True(record.Errors.Total <= TlsRptRecord.MaxDestinations);
        Assert.True(record.DestinationsCut);
        MtaStsCheckResult result = Run(new[] { Record }, Policy("enforce"), Mx, rpt);
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("more", result.Message);
        Assert.True(result.Message.Length < 2000, $"Message of {result.Message.Length} characters");
        Assert.True(result.Steps.Sum(s => s.Detail.Length) < 8000, "steps too long");
    }

    [Fact]
    public void A_policy_of_a_thousand_bad_lines_gives_one_bounded_step_and_message()
    {
        var text = new System.Text.StringBuilder("version: STSv1\nmode: enforce\nmax_age: 604800\nmx: *.example.net\n");
        for (int i = 0; i < 1500; i++)
        {
            text.Append("mx: bad_pattern_").Append(i).Append('\n');
        }

        var result = new MtaStsCheckResult(Domain);
        PolicyFetch fetch = MtaStsCheck.ReadPolicy(result, text.ToString());
        Assert.True(fetch.Policy!.IsValid);
        Assert.True(fetch.Policy.Warnings.Count <= BoundedProblems.Kept);
        Assert.True(fetch.Policy.Warnings.Total > 900);
        Assert.Single(result.Steps, s => s.Status == CheckStatus.Warning);
        Assert.Contains("more", result.Steps.Single(s => s.Status == CheckStatus.Warning).Detail);

        var facts = new MtaStsFacts(Domain, new[] { Record }, fetch, Mx, new[] { Rpt });
        MtaStsCheck.Evaluate(result, facts).ApplyTo(result, MtaStsCheck.PassMessage(result, facts));
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.True(result.Message.Length < 2000, $"Message of {result.Message.Length} characters");
        Assert.True(result.Steps.Count < 20, $"{result.Steps.Count} steps");
    }

    [Fact]
    public void An_invalid_policy_lists_five_errors_and_counts_the_rest()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < 900; i++)
        {
            text.Append("garbage line ").Append(i).Append('\n');
        }

        var result = new MtaStsCheckResult(Domain);
        PolicyFetch fetch = MtaStsCheck.ReadPolicy(result, text.ToString());
        Assert.False(fetch.Policy!.IsValid);
        Assert.Equal(BoundedProblems.Kept, fetch.Policy.Errors.Count);
        Assert.Contains("and ", fetch.Policy.Errors.ToString());
        Assert.True(fetch.Problem!.Length < 1500);
        Assert.True(result.Steps.Sum(s => s.Detail.Length) < 2000);
    }

    // ---- finding 2: a connection broken while the body is read ----

    [Theory]
    [InlineData("io")]
    [InlineData("http")]
    public async Task A_connection_reset_while_reading_is_a_policy_fetch_failure(string kind)
    {
        var result = new MtaStsCheckResult(Domain);
        Exception error = kind == "io"
            ? new System.IO.IOException("Unable to read data from the transport connection: Connection reset by peer.")
            : new System.Net.Http.HttpRequestException("Error while copying content to a stream.");
        PolicyFetch fetch = await MtaStsCheck.ReadPolicyAsync(result, () => Task.FromException<string>(error), TimeSpan.FromSeconds(10), CancellationToken.None, CancellationToken.None);
        Assert.Equal(FetchOutcome.Failed, fetch.Outcome);
        Assert.Contains("connection broke", fetch.Problem);
        MtaStsCheckResult checkedResult = Run(new[] { Record }, fetch, Mx, Rpt);
        Assert.Equal(CheckStatus.Failed, checkedResult.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, checkedResult.Cause);
    }

    [Fact]
    public async Task Ctrl_C_while_reading_still_cancels()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => MtaStsCheck.ReadPolicyAsync(
            new MtaStsCheckResult(Domain), () => Task.FromCanceled<string>(stop.Token), TimeSpan.FromSeconds(10), stop.Token, stop.Token));
    }

    // ---- finding 3: trouble on this side is not the domain's fault ----

    [Fact]
    public void A_policy_host_that_cannot_be_reached_from_here_is_a_warning()
    {
        var result = new MtaStsCheckResult(Domain);
        using var exchange = new ExchangeDiag.Http.HttpExchange(null, ExchangeDiag.Http.HttpFailure.ConnectFailed, "could not connect to mta-sts.example.com:443 (127.0.0.1: ConnectionRefused)", null);
        PolicyFetch fetch = MtaStsCheck.Classify(result, Domain, exchange)!;
        Assert.Equal(FetchOutcome.Unreachable, fetch.Outcome);
        MtaStsCheckResult checkedResult = Run(new[] { Record }, fetch, Mx, Rpt);
        Assert.Equal(CheckStatus.Warning, checkedResult.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, checkedResult.Cause);
        Assert.Contains("could not be reached from here", checkedResult.Message);

        MtaStsCheckResult timedOut = Run(new[] { Record }, PolicyFetch.Unreachable("timeout", "no answer within 2 s"), Mx, Rpt);
        Assert.Equal(CheckStatus.Warning, timedOut.Status);
        Assert.Contains("no answer within 2 s", timedOut.Message);
    }

    [Fact]
    public void A_policy_host_name_dns_cannot_resolve_is_an_error_and_nxdomain_a_failure()
    {
        var result = new MtaStsCheckResult(Domain);
        using var unknown = new ExchangeDiag.Http.HttpExchange(null, ExchangeDiag.Http.HttpFailure.NameNotResolved, "mta-sts.example.com SERVFAIL", null, nameUnknown: true);
        MtaStsCheckResult unknownResult = Run(new[] { Record }, MtaStsCheck.Classify(result, Domain, unknown)!, Mx, Rpt);
        Assert.Equal(CheckStatus.Error, unknownResult.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, unknownResult.Cause);
        Assert.Contains("SERVFAIL", unknownResult.Message);

        using var missing = new ExchangeDiag.Http.HttpExchange(null, ExchangeDiag.Http.HttpFailure.NameNotResolved, "mta-sts.example.com NXDOMAIN", null);
        MtaStsCheckResult missingResult = Run(new[] { Record }, MtaStsCheck.Classify(result, Domain, missing)!, Mx, Rpt);
        Assert.Equal(CheckStatus.Failed, missingResult.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, missingResult.Cause);
        Assert.Contains("does not resolve", missingResult.Message);
    }

    // ---- finding 5: TLS-RPT unknown keeps the MTA-STS verdict ----

    [Fact]
    public void An_unknown_tlsrpt_keeps_the_mta_sts_verdict()
    {
        const string servfail = "TXT _smtp._tls.example.com: SERVFAIL";
        MtaStsCheckResult failing = Run(new[] { Record }, Policy("enforce", "mx1.example.net"), Mx, Array.Empty<string>(), servfail);
        Assert.Equal(CheckStatus.Failed, failing.Status);
        Assert.Equal(DiagnosticCause.MtaStsInvalid, failing.Cause);
        Assert.Equal(MtaStsMode.Enforce, failing.Mode);
        Assert.Contains(failing.Steps, s => s.Status == CheckStatus.Warning && s.Detail.Contains("TLS-RPT"));

        MtaStsCheckResult passing = Run(new[] { Record }, Policy("enforce"), Mx, Array.Empty<string>(), servfail);
        Assert.Equal(CheckStatus.Warning, passing.Status);
        Assert.Equal(MtaStsMode.Enforce, passing.Mode);
        Assert.Contains("SERVFAIL", passing.Message);
        Assert.Contains("TLS-RPT unknown", passing.Observed);
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
