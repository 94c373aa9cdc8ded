using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;
using static ExchangeDiag.Tests.RuleFixtures;

namespace ExchangeDiag.Tests;

public class SrvRulesTests
{
    private const string Domain = "contoso.com";
    private const string RecordName = "_autodiscover._tcp.contoso.com";

    [Fact]
    public void No_record_fails_with_SrvInvalid_and_advises_the_record()
    {
        SrvCheckResult result = Run(Array.Empty<SrvRecordInfo>(), Hosts(), SrvExpectation.Create(null, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains("no _autodiscover._tcp.contoso.com SRV record", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("SRV 0 0 443", result.Remediation);
        Assert.Contains("_autodiscover._tcp.contoso.com. SRV 0 0 443 <your Exchange server>.", result.Remediation);
    }

    [Fact]
    public void No_record_under_provider_advises_the_provider_pattern()
    {
        SrvCheckResult result = Run(Array.Empty<SrvRecordInfo>(), Hosts(), SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.NotNull(result.Remediation);
        Assert.Contains("SRV 0 0 443 ex?.mail.ovh.net.", result.Remediation);
        Assert.Contains("server number", result.Remediation);
    }

    [Fact]
    public void No_record_with_expected_target_advises_that_target()
    {
        SrvCheckResult result = Run(Array.Empty<SrvRecordInfo>(), Hosts(), SrvExpectation.Create("ex4.mail.ovh.net", MailProvider.OvhEurope));

        Assert.NotNull(result.Remediation);
        Assert.Contains("SRV 0 0 443 ex4.mail.ovh.net.", result.Remediation);
        Assert.DoesNotContain("server number", result.Remediation);
    }

    [Theory]
    [InlineData(8443)]
    [InlineData(80)]
    [InlineData(444)]
    public void Wrong_port_fails(int port)
    {
        SrvCheckResult result = Run(Records((0, 0, port, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")), SrvExpectation.Create(null, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains($"port {port} of ex4.mail.ovh.net", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("443", result.Remediation);
    }

    [Fact]
    public void Root_target_fails()
    {
        SrvCheckResult result = Run(Records((0, 0, 443, ".")), Hosts(), SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains("target is '.'", result.Message);
        Assert.DoesNotContain("more finding", result.Message);
    }

    [Fact]
    public void Expected_target_mismatch_fails()
    {
        SrvCheckResult result = Run(Records((0, 0, 443, "ex2.mail.ovh.net")), Hosts(Resolving("ex2.mail.ovh.net")),
            SrvExpectation.Create("ex4.mail.ovh.net", null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains("points to ex2.mail.ovh.net, not to the expected ex4.mail.ovh.net", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("ex4.mail.ovh.net", result.Remediation);
    }

    [Fact]
    public void Expected_target_matches_ignoring_case_and_trailing_dot()
    {
        Verdict verdict = SrvRules.Evaluate(RecordName, Records((0, 0, 443, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            SrvExpectation.Create("EX4.Mail.OVH.net.", null));

        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void Expected_target_takes_precedence_over_the_provider_pattern()
    {
        // autodiscover.contoso.com is not ex<N>.mail.ovh.net, but it is what -ExpectedTarget asks for.
        Verdict verdict = SrvRules.Evaluate(RecordName, Records((0, 0, 443, "autodiscover.contoso.com")), Hosts(Resolving("autodiscover.contoso.com")),
            SrvExpectation.Create("autodiscover.contoso.com", MailProvider.OvhEurope));

        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData("autodiscover.contoso.com")]
    [InlineData("mx0.mail.ovh.net")]
    [InlineData("ex.mail.ovh.net")]
    [InlineData("exa.mail.ovh.net")]
    [InlineData("ex4.mail.ovh.net.evil.example")]
    [InlineData("ex4.mail.ovh.ca")]
    [InlineData("ex4.mail-ovh.net")]
    public void Provider_target_that_is_not_an_exchange_server_fails(string target)
    {
        SrvCheckResult result = Run(Records((0, 0, 443, target)), Hosts(Resolving(target)), SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains($"points to {target}, which is not an OVHcloud Exchange server (ex?.mail.ovh.net)", result.Message);
    }

    [Theory]
    [InlineData("ex4.mail.ovh.net")]
    [InlineData("ex10.mail.ovh.net")]
    [InlineData("EX4.MAIL.OVH.NET")]
    public void Provider_exchange_server_target_passes(string target)
    {
        Verdict verdict = SrvRules.Evaluate(RecordName, Records((0, 0, 443, target)), Hosts(Resolving(target)),
            SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void Canada_provider_expects_mail_ovh_ca()
    {
        SrvExpectation canada = SrvExpectation.Create(null, MailProvider.OvhCanada);

        Verdict good = SrvRules.Evaluate(RecordName, Records((0, 0, 443, "ex3.mail.ovh.ca")), Hosts(Resolving("ex3.mail.ovh.ca")), canada);
        SrvCheckResult bad = Run(Records((0, 0, 443, "ex3.mail.ovh.net")), Hosts(Resolving("ex3.mail.ovh.net")), canada);

        Assert.Empty(good.Findings);
        Assert.Equal(CheckStatus.Failed, bad.Status);
        Assert.Contains("not an OVHcloud Exchange (Canada) server (ex?.mail.ovh.ca)", bad.Message);
    }

    [Theory]
    [InlineData(DnsOutcome.NameError, "does not exist (NXDOMAIN)")]
    [InlineData(DnsOutcome.Answered, "has no A or AAAA record")]
    public void Target_not_resolving_fails(DnsOutcome outcome, string detail)
    {
        var host = new HostResolution("ex4.mail.ovh.net", Array.Empty<string>(), null, outcome, detail);

        SrvCheckResult result = Run(Records((0, 0, 443, "ex4.mail.ovh.net")), Hosts(host), SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Equal($"SRV target ex4.mail.ovh.net {detail}, so clients following the record reach nothing.", result.Message);
    }

    [Theory]
    [InlineData(DnsOutcome.Timeout)]
    [InlineData(DnsOutcome.ServerError)]
    [InlineData(DnsOutcome.NetworkError)]
    public void Target_unknown_is_an_error(DnsOutcome outcome)
    {
        var host = new HostResolution("ex4.mail.ovh.net", Array.Empty<string>(), null, outcome, "unknown: 192.0.2.53:53 answered " + outcome);

        SrvCheckResult result = Run(Records((0, 0, 443, "ex4.mail.ovh.net")), Hosts(host), SrvExpectation.Create(null, null));

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
        Assert.Contains("Could not learn whether SRV target ex4.mail.ovh.net resolves", result.Message);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Known_fault_outranks_unknown_target()
    {
        var host = new HostResolution("ex4.mail.ovh.net", Array.Empty<string>(), null, DnsOutcome.Timeout, "unknown");

        SrvCheckResult result = Run(Records((0, 0, 8443, "ex4.mail.ovh.net")), Hosts(host), SrvExpectation.Create(null, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains("port 8443", result.Message);
        Assert.Contains("(and 1 more finding(s): see Steps)", result.Message);
    }

    [Fact]
    public void Cname_target_warns()
    {
        var host = new HostResolution("autodiscover.contoso.com", new[] { "192.0.2.1" }, "ex4.mail.ovh.net", DnsOutcome.Answered, "192.0.2.1 (alias of ex4.mail.ovh.net)");

        SrvCheckResult result = Run(Records((0, 0, 443, "autodiscover.contoso.com")), Hosts(host), SrvExpectation.Create(null, null));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains("alias (CNAME) of ex4.mail.ovh.net", result.Message);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 100)]
    [InlineData(10, 10)]
    public void Priority_or_weight_not_zero_under_provider_warns(int priority, int weight)
    {
        SrvCheckResult result = Run(Records((priority, weight, 443, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.True(result.Passed);
        Assert.Contains($"priority {priority} and weight {weight}", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("priority 0 and weight 0", result.Remediation);
    }

    [Theory]
    [InlineData(1, 0, "ex4.mail.ovh.net", "OVHcloud Exchange")]
    [InlineData(0, 100, "ex12.mail.ovh.ca", "OVHcloud Exchange (Canada)")]
    public void Priority_or_weight_not_zero_with_an_expected_target_of_the_providers_form_warns(int priority, int weight, string target, string provider)
    {
        SrvCheckResult result = Run(Records((priority, weight, 443, target)), Hosts(Resolving(target)), SrvExpectation.Create(target, null));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains($"priority {priority} and weight {weight}", result.Message);
        Assert.Contains(provider, result.Message);
    }

    [Fact]
    public void Priority_or_weight_not_zero_with_an_expected_target_of_another_form_passes()
    {
        Verdict verdict = SrvRules.Evaluate(RecordName, Records((10, 10, 443, "mail.contoso.com")), Hosts(Resolving("mail.contoso.com")),
            SrvExpectation.Create("mail.contoso.com", null));

        Assert.Empty(verdict.Findings);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 100)]
    [InlineData(10, 10)]
    public void Priority_or_weight_not_zero_without_provider_passes(int priority, int weight)
    {
        Verdict verdict = SrvRules.Evaluate(RecordName, Records((priority, weight, 443, "autodiscover.contoso.com")), Hosts(Resolving("autodiscover.contoso.com")),
            SrvExpectation.Create(null, null));

        Assert.Empty(verdict.Findings);
        Assert.Equal(CheckStatus.Passed, Apply(verdict).Status);
    }

    [Fact]
    public void Correct_record_passes()
    {
        SrvCheckResult result = Run(Records((0, 0, 443, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            SrvExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Equal(PassMessage, result.Message);
        Assert.Null(result.Remediation);
        Assert.Empty(result.Steps);
    }

    [Fact]
    public void Every_record_is_judged()
    {
        var records = Records((0, 0, 443, "ex4.mail.ovh.net"), (0, 0, 8443, "ex5.mail.ovh.net"));
        var hosts = Hosts(Resolving("ex4.mail.ovh.net"), Resolving("ex5.mail.ovh.net"));

        Verdict verdict = SrvRules.Evaluate(RecordName, records, hosts, SrvExpectation.Create(null, MailProvider.OvhEurope));

        Verdict.Finding finding = Assert.Single(verdict.Findings);
        Assert.Contains("port 8443 of ex5.mail.ovh.net", finding.Message);
    }

    [Theory]
    [InlineData(null, null, "_autodiscover._tcp.contoso.com SRV on port 443 whose target resolves")]
    [InlineData(null, MailProvider.OvhEurope, "_autodiscover._tcp.contoso.com SRV 0 0 443 ex?.mail.ovh.net")]
    [InlineData("EX4.Mail.OVH.net.", MailProvider.OvhEurope, "_autodiscover._tcp.contoso.com SRV 0 0 443 ex4.mail.ovh.net")]
    [InlineData("autodiscover.contoso.com", null, "_autodiscover._tcp.contoso.com SRV on port 443 pointing to autodiscover.contoso.com")]
    public void Expectation_describes_the_wanted_record(string? target, MailProvider? provider, string expected)
    {
        Assert.Equal(expected, SrvExpectation.Create(target, provider).Describe(RecordName));
    }

    // ---- Microsoft 365: the autodiscover CNAME, and an SRV record it does not use ----

    [Fact]
    public void Microsoft365_needs_no_srv_record()
    {
        SrvCheckResult result = Run(Array.Empty<SrvRecordInfo>(), Hosts(), SrvExpectation.Create(null, MailProvider.Microsoft365));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
    }

    [Fact]
    public void Microsoft365_passes_an_srv_record_to_its_autodiscover_service()
    {
        const string target = "autodiscover.outlook.com";
        Assert.Equal(CheckStatus.Passed, Run(Records((10, 10, 443, target)), Hosts(Resolving(target)), SrvExpectation.Create(null, MailProvider.Microsoft365)).Status);
    }

    [Theory]
    [InlineData("ex4.mail.ovh.net", 443)]
    [InlineData("autodiscover.outlook.com", 8443)]
    public void Microsoft365_warns_of_an_srv_record_that_leads_elsewhere(string target, int port)
    {
        SrvCheckResult result = Run(Records((0, 0, port, target)), Hosts(Resolving(target)), SrvExpectation.Create(null, MailProvider.Microsoft365));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.SrvInvalid, result.Cause);
        Assert.Contains($"points to {target} on port {port}", result.Message);
        Assert.Contains("Outlook follows it", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("_autodiscover._tcp.contoso.com. SRV 0 0 443 autodiscover.outlook.com.", result.Remediation);
    }

    [Fact]
    public void Microsoft365_asks_no_priority_zero_of_an_expected_target()
    {
        const string target = "autodiscover.outlook.com";
        SrvCheckResult result = Run(Records((10, 10, 443, target)), Hosts(Resolving(target)), SrvExpectation.Create(target, MailProvider.Microsoft365));

        Assert.Equal(CheckStatus.Passed, result.Status);
    }

    [Fact]
    public void Microsoft365_lets_a_dot_target_say_the_service_is_not_offered()
        => Assert.Equal(CheckStatus.Passed, Run(Records((0, 0, 0, ".")), Hosts(), SrvExpectation.Create(null, MailProvider.Microsoft365)).Status);

    [Fact]
    public void Microsoft365_expects_the_autodiscover_cname_and_an_expected_target_replaces_it()
    {
        Assert.Equal("autodiscover.outlook.com", SrvExpectation.Create(null, MailProvider.Microsoft365).AutodiscoverCname);
        Assert.Null(SrvExpectation.Create(null, MailProvider.OvhEurope).AutodiscoverCname);
        Assert.Null(SrvExpectation.Create(null, null).AutodiscoverCname);
        Assert.Null(SrvExpectation.Create("autodiscover.contoso.com", MailProvider.Microsoft365).AutodiscoverCname);
        Assert.Equal("autodiscover.contoso.com CNAME autodiscover.outlook.com; no _autodiscover._tcp.contoso.com SRV record needed (if one exists: 0 0 443 autodiscover.outlook.com)",
            SrvExpectation.Create(null, MailProvider.Microsoft365).Describe(RecordName));
    }

    [Theory]
    [InlineData("autodiscover.outlook.com", true, null)]
    [InlineData("AUTODISCOVER.Outlook.com", true, null)]
    [InlineData(null, false, "autodiscover.contoso.com does not exist")]
    [InlineData(null, true, "autodiscover.contoso.com is not an alias (CNAME) of autodiscover.outlook.com")]
    [InlineData("ex4.mail.ovh.net", true, "autodiscover.contoso.com is an alias (CNAME) of ex4.mail.ovh.net, not of autodiscover.outlook.com")]
    public void Microsoft365_judges_the_autodiscover_cname(string? canonical, bool exists, string? failure)
    {
        var verdict = new Verdict();
        SrvRules.EvaluateCname(verdict, "autodiscover.contoso.com", canonical, exists, SrvExpectation.Create(null, MailProvider.Microsoft365));
        SrvCheckResult result = Apply(verdict);

        if (failure == null)
        {
            Assert.Equal(CheckStatus.Passed, result.Status);
            return;
        }

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.AutodiscoverCnameInvalid, result.Cause);
        Assert.StartsWith(failure, result.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Remediation);
        Assert.Contains("autodiscover.contoso.com. CNAME autodiscover.outlook.com.", result.Remediation);
    }

    private static SrvCheckResult Run(IReadOnlyList<SrvRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts, SrvExpectation expectation)
        => Apply(SrvRules.Evaluate(RecordName, records, hosts, expectation));

    private static SrvCheckResult Apply(Verdict verdict) => RuleFixtures.Apply(verdict, new SrvCheckResult(Domain, RecordName));

    private static List<SrvRecordInfo> Records(params (int Priority, int Weight, int Port, string Target)[] records)
        => records.Select(r => new SrvRecordInfo(r.Priority, r.Weight, r.Port, r.Target)).ToList();
}
