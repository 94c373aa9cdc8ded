using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;
using static ExchangeDiag.Tests.RuleFixtures;

namespace ExchangeDiag.Tests;

public class MxRulesTests
{
    private const string Domain = "contoso.com";

    private static readonly string[] OvhMx =
    {
        "mx0.mail.ovh.net", "mx1.mail.ovh.net", "mx2.mail.ovh.net", "mx3.mail.ovh.net", "mx4.mail.ovh.net",
    };

    private static readonly int[] OvhPreferences = { 1, 5, 50, 100, 200 };

    // ---- no records / null MX ----

    [Fact]
    public void No_record_fails_with_MxInvalid()
    {
        MxCheckResult result = Run(Array.Empty<MxRecordInfo>(), Hosts(), MxExpectation.Any);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("no MX record", result.Message);
        Assert.Contains(Domain, result.Message);
        Assert.False(string.IsNullOrEmpty(result.Remediation));
        Assert.False(result.Passed);
    }

    [Fact]
    public void No_record_under_provider_advises_the_provider_records()
    {
        MxCheckResult result = Run(Array.Empty<MxRecordInfo>(), Hosts(), MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.NotNull(result.Remediation);
        Assert.Contains("mx0.mail.ovh.net (preference 1)", result.Remediation);
        Assert.Contains("mx4.mail.ovh.net (preference 200)", result.Remediation);
    }

    [Fact]
    public void Null_mx_fails_with_MxInvalid()
    {
        MxCheckResult result = Run(Records((0, ".")), Hosts(), MxExpectation.Any);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("null MX", result.Message);
        Assert.False(string.IsNullOrEmpty(result.Remediation));
    }

    [Fact]
    public void Null_mx_next_to_other_records_still_fails()
    {
        MxCheckResult result = Run(Records((0, "."), (10, "mx1.contoso.com")), Hosts(Resolving("mx1.contoso.com")), MxExpectation.Any);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("null MX", result.Message);
    }

    // ---- no expectation ----

    [Fact]
    public void Resolving_hosts_without_expectation_pass()
    {
        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")),
            Hosts(Resolving("mx1.contoso.com"), Resolving("mx2.contoso.com")), MxExpectation.Any);

        Assert.Empty(verdict.Findings);

        MxCheckResult result = Apply(verdict);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Equal(PassMessage, result.Message);
        Assert.Null(result.Remediation);
        Assert.True(result.Passed);
        Assert.Empty(result.Steps);
    }

    // ---- provider ----

    [Fact]
    public void Provider_with_all_five_mx_hosts_passes()
    {
        Verdict verdict = MxRules.Evaluate(Domain, OvhRecords(OvhMx), Hosts(OvhMx.Select(Resolving).ToArray()),
            MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Empty(verdict.Findings);
        Assert.Equal(CheckStatus.Passed, Apply(verdict).Status);
    }

    [Fact]
    public void Provider_host_outside_the_set_fails_and_names_it()
    {
        var records = OvhRecords(OvhMx).Concat(Records((300, "mail.contoso.com"))).ToList();
        var hosts = Hosts(OvhMx.Concat(new[] { "mail.contoso.com" }).Select(Resolving).ToArray());

        MxCheckResult result = Run(records, hosts, MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("mail.contoso.com", result.Message);
        Assert.Contains("not an OVHcloud Exchange MX host", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("Remove the MX record for mail.contoso.com", result.Remediation);
    }

    [Fact]
    public void Provider_each_stranger_is_a_separate_finding()
    {
        var records = OvhRecords(OvhMx).Concat(Records((300, "a.contoso.com"), (400, "b.contoso.com"))).ToList();
        var hosts = Hosts(OvhMx.Concat(new[] { "a.contoso.com", "b.contoso.com" }).Select(Resolving).ToArray());

        Verdict verdict = MxRules.Evaluate(Domain, records, hosts, MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Equal(2, verdict.Findings.Count);
        Assert.All(verdict.Findings, f => Assert.Equal(CheckStatus.Failed, f.Status));
        Assert.Contains("a.contoso.com", verdict.Findings[0].Message);
        Assert.Contains("b.contoso.com", verdict.Findings[1].Message);
    }

    [Fact]
    public void Provider_with_part_of_the_set_warns_and_lists_the_missing_hosts()
    {
        string[] present = { "mx0.mail.ovh.net", "mx1.mail.ovh.net", "mx2.mail.ovh.net" };

        MxCheckResult result = Run(OvhRecords(present), Hosts(present.Select(Resolving).ToArray()),
            MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.True(result.Passed);
        Assert.Contains("Only 3 of the 5", result.Message);
        Assert.Contains("mx3.mail.ovh.net, mx4.mail.ovh.net", result.Message);
        Assert.DoesNotContain("mx0.mail.ovh.net", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("mx3.mail.ovh.net (preference 100)", result.Remediation);
        Assert.Contains("mx4.mail.ovh.net (preference 200)", result.Remediation);
    }

    [Fact]
    public void Provider_with_only_strangers_fails_without_a_missing_hosts_warning()
    {
        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "mail.contoso.com")), Hosts(Resolving("mail.contoso.com")),
            MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Verdict.Finding finding = Assert.Single(verdict.Findings);
        Assert.Equal(CheckStatus.Failed, finding.Status);
    }

    [Fact]
    public void Canada_provider_rejects_the_europe_hosts()
    {
        MxCheckResult result = Run(OvhRecords(OvhMx), Hosts(OvhMx.Select(Resolving).ToArray()),
            MxExpectation.Create(null, MailProvider.OvhCanada, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("not an OVHcloud Exchange (Canada) MX host", result.Message);
    }

    [Fact]
    public void Canada_provider_accepts_its_own_hosts()
    {
        string[] canada = OvhMx.Select(h => h.Replace(".net", ".ca")).ToArray();

        Verdict verdict = MxRules.Evaluate(Domain, OvhRecords(canada), Hosts(canada.Select(Resolving).ToArray()),
            MxExpectation.Create(null, MailProvider.OvhCanada, null));

        Assert.Empty(verdict.Findings);
    }

    // ---- -ExchangeServer ----

    [Fact]
    public void Only_the_exchange_server_with_ExchangeServer_under_provider_passes()
    {
        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            MxExpectation.Create(null, MailProvider.OvhEurope, "ex4.mail.ovh.net"));

        Assert.Empty(verdict.Findings);
        Assert.Equal(CheckStatus.Passed, Apply(verdict).Status);
    }

    [Fact]
    public void Exchange_server_given_with_other_case_and_trailing_dot_still_matches()
    {
        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            MxExpectation.Create(null, MailProvider.OvhEurope, "EX4.Mail.OVH.net."));

        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void Exchange_server_as_mx_without_ExchangeServer_under_provider_fails()
    {
        MxCheckResult result = Run(Records((10, "ex4.mail.ovh.net")), Hosts(Resolving("ex4.mail.ovh.net")),
            MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("ex4.mail.ovh.net", result.Message);
        Assert.Contains("not an OVHcloud Exchange MX host", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.DoesNotContain("or only", result.Remediation);
    }

    [Fact]
    public void Mixing_the_exchange_server_with_the_provider_set_fails_and_mentions_the_alternative()
    {
        var records = OvhRecords(OvhMx).Concat(Records((300, "ex4.mail.ovh.net"))).ToList();
        var hosts = Hosts(OvhMx.Concat(new[] { "ex4.mail.ovh.net" }).Select(Resolving).ToArray());

        MxCheckResult result = Run(records, hosts, MxExpectation.Create(null, MailProvider.OvhEurope, "ex4.mail.ovh.net"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("ex4.mail.ovh.net", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("or only ex4.mail.ovh.net when POP/IMAP mail is hosted elsewhere", result.Remediation);
    }

    [Fact]
    public void Exchange_server_alone_that_does_not_resolve_fails()
    {
        MxCheckResult result = Run(Records((10, "ex4.mail.ovh.net")), Hosts(NotExisting("ex4.mail.ovh.net")),
            MxExpectation.Create(null, MailProvider.OvhEurope, "ex4.mail.ovh.net"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("No MX host of contoso.com resolves", result.Message);
    }

    [Fact]
    public void ExchangeServer_without_provider_requires_only_that_server()
    {
        MxExpectation expectation = MxExpectation.Create(null, null, "mail.contoso.com");

        Verdict alone = MxRules.Evaluate(Domain, Records((10, "mail.contoso.com")), Hosts(Resolving("mail.contoso.com")), expectation);
        MxCheckResult other = Run(Records((10, "mx.other.example")), Hosts(Resolving("mx.other.example")), expectation);

        Assert.Empty(alone.Findings);
        Assert.Equal(CheckStatus.Failed, other.Status);
        Assert.Contains("which is not the Exchange server", other.Message);
    }

    // ---- host resolution ----

    [Fact]
    public void Cname_target_warns()
    {
        var hosts = Hosts(Alias("mail.contoso.com", "mail.hoster.example"));

        MxCheckResult result = Run(Records((10, "mail.contoso.com")), hosts, MxExpectation.Any);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("alias (CNAME) of mail.hoster.example", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("mail.hoster.example", result.Remediation);
    }

    [Fact]
    public void One_target_not_resolving_while_another_does_warns()
    {
        var hosts = Hosts(Resolving("mx1.contoso.com"), NotExisting("mx2.contoso.com"));

        MxCheckResult result = Run(Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")), hosts, MxExpectation.Any);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("mx2.contoso.com", result.Message);
        Assert.Contains("fall back", result.Message);
        Assert.DoesNotContain("mx1.contoso.com", result.Message);
    }

    [Fact]
    public void No_target_resolving_fails()
    {
        var hosts = Hosts(NotExisting("mx1.contoso.com"), NoAddress("mx2.contoso.com"));

        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")), hosts, MxExpectation.Any);
        MxCheckResult result = Apply(verdict);

        Assert.Equal(2, verdict.Findings.Count);
        Assert.All(verdict.Findings, f => Assert.Equal(CheckStatus.Failed, f.Status));
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.StartsWith("No MX host of contoso.com resolves to an address: mx1.contoso.com does not exist", result.Message);
    }

    [Theory]
    [InlineData(DnsOutcome.Timeout)]
    [InlineData(DnsOutcome.ServerError)]
    [InlineData(DnsOutcome.NetworkError)]
    public void Unknown_target_is_an_error(DnsOutcome outcome)
    {
        var hosts = Hosts(Resolving("mx1.contoso.com"), Unknown("mx2.contoso.com", outcome));

        MxCheckResult result = Run(Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")), hosts, MxExpectation.Any);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
        Assert.Contains("Could not learn whether MX host mx2.contoso.com resolves", result.Message);
        Assert.False(result.Passed);
    }

    [Fact]
    public void Only_unknown_target_is_an_error_not_a_failure()
    {
        MxCheckResult result = Run(Records((10, "mx1.contoso.com")), Hosts(Unknown("mx1.contoso.com", DnsOutcome.Timeout)), MxExpectation.Any);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
    }

    [Fact]
    public void Target_shared_by_two_records_is_judged_once()
    {
        var hosts = Hosts(Resolving("mx1.contoso.com"), NotExisting("mx2.contoso.com"));
        var records = Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com"), (30, "mx2.contoso.com"));

        Verdict verdict = MxRules.Evaluate(Domain, records, hosts, MxExpectation.Any);

        Assert.Single(verdict.Findings);
    }

    [Fact]
    public void Unknown_target_next_to_a_missing_one_is_not_reported_as_no_host_resolving()
    {
        var hosts = Hosts(Unknown("mx1.contoso.com", DnsOutcome.Timeout), NotExisting("mx2.contoso.com"));

        MxCheckResult result = Run(Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")), hosts, MxExpectation.Any);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
        Assert.DoesNotContain("No MX host", result.Message);
    }

    // ---- -ExpectedMx ----

    [Fact]
    public void ExpectedMx_overrides_the_provider()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { "mx1.contoso.com", "mx2.contoso.com" }, MailProvider.OvhEurope, null);
        var hosts = Hosts(Resolving("mx1.contoso.com"), Resolving("mx2.contoso.com"));

        Verdict verdict = MxRules.Evaluate(Domain, Records((10, "mx1.contoso.com"), (20, "mx2.contoso.com")), hosts, expectation);

        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void ExpectedMx_rejects_the_provider_hosts()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { "mx1.contoso.com" }, MailProvider.OvhEurope, null);

        MxCheckResult result = Run(OvhRecords(OvhMx), Hosts(OvhMx.Select(Resolving).ToArray()), expectation);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("mx0.mail.ovh.net", result.Message);
        Assert.Contains("not one of the expected MX hosts", result.Message);
        Assert.Contains("(and 4 more finding(s): see Steps)", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("mx1.contoso.com (preference 10)", result.Remediation);
    }

    [Fact]
    public void ExpectedMx_missing_host_warns_with_listed_preference()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { "mx1.contoso.com", "mx2.contoso.com" }, null, null);

        MxCheckResult result = Run(Records((10, "mx1.contoso.com")), Hosts(Resolving("mx1.contoso.com")), expectation);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("Only 1 of the 2 expected MX hosts are set; missing: mx2.contoso.com", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("mx2.contoso.com (preference 20)", result.Remediation);
    }

    [Fact]
    public void Names_compare_case_insensitively_with_trailing_dots()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { "MX1.Contoso.COM.", "mx2.CONTOSO.com." }, null, null);
        var records = Records((10, "mx1.contoso.com"), (20, "Mx2.Contoso.Com."));
        var hosts = Hosts(Resolving("mx1.contoso.com"), Resolving("Mx2.Contoso.Com."));

        Verdict verdict = MxRules.Evaluate(Domain, records, hosts, expectation);

        Assert.Empty(verdict.Findings);
    }

    [Fact]
    public void Provider_names_compare_case_insensitively_with_trailing_dots()
    {
        string[] shouted = OvhMx.Select(h => h.ToUpperInvariant() + ".").ToArray();

        Verdict verdict = MxRules.Evaluate(Domain, OvhRecords(shouted), Hosts(shouted.Select(Resolving).ToArray()),
            MxExpectation.Create(null, MailProvider.OvhEurope, null));

        Assert.Empty(verdict.Findings);
    }

    // ---- MxExpectation ----

    [Fact]
    public void Expectation_without_input_is_Any()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { " ", "" }, null, "  ");

        Assert.Same(MxExpectation.Any, expectation);
        Assert.Null(expectation.Records);
        Assert.Equal("at least one MX record whose host resolves", expectation.Describe());
    }

    [Fact]
    public void Expectation_from_provider_lists_the_documented_hosts_and_preferences()
    {
        MxExpectation expectation = MxExpectation.Create(null, MailProvider.OvhEurope, null);

        Assert.NotNull(expectation.Records);
        Assert.Equal(OvhMx, expectation.Records.Select(r => r.Exchange));
        Assert.Equal(OvhPreferences, expectation.Records.Select(r => r.Preference));
        Assert.Equal("an OVHcloud Exchange MX host", expectation.HostDescription);
        Assert.Equal(string.Join(", ", OvhMx), expectation.Describe());
    }

    [Fact]
    public void Expectation_with_exchange_server_describes_the_alternative()
    {
        MxExpectation expectation = MxExpectation.Create(null, MailProvider.OvhEurope, "EX4.mail.ovh.net.");

        Assert.Equal("ex4.mail.ovh.net", expectation.ExchangeServer);
        Assert.EndsWith("; or only ex4.mail.ovh.net", expectation.Describe());
    }

    [Fact]
    public void Expected_mx_are_canonical_distinct_and_numbered_in_order()
    {
        MxExpectation expectation = MxExpectation.Create(new[] { "MX2.contoso.com.", "mx1.contoso.com", "mx2.contoso.com" }, null, null);

        Assert.NotNull(expectation.Records);
        Assert.Equal(new[] { "mx2.contoso.com", "mx1.contoso.com" }, expectation.Records.Select(r => r.Exchange));
        Assert.Equal(new[] { 10, 20 }, expectation.Records.Select(r => r.Preference));
    }

    // ---- Verdict ----

    [Fact]
    public void Verdict_failed_outranks_error()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable, "Could not ask.", "Ask again.");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "It is wrong.", "Fix it.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Equal("It is wrong (and 1 more finding(s): see Steps).", result.Message);
        Assert.Equal("Fix it.", result.Remediation);
    }

    [Fact]
    public void Verdict_error_outranks_warning()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "Odd.", "Tidy up.");
        verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable, "Could not ask.", "Ask again.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
        Assert.Equal("Ask again.", result.Remediation);
    }

    [Fact]
    public void Verdict_first_of_equally_bad_findings_wins()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "First.", "Fix first.");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid, "Second.", "Fix second.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.StartsWith("First", result.Message);
        Assert.Equal("Fix first.", result.Remediation);
    }

    [Fact]
    public void Verdict_warning_keeps_its_cause_and_remediation()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "Odd.", "Tidy up.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Equal("Odd.", result.Message);
        Assert.Equal("Tidy up.", result.Remediation);
    }

    [Fact]
    public void Verdict_message_counts_the_other_findings()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "Odd.", "Tidy up.");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "Wrong.", "Fix.");
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "Odder.", "Tidy more.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal("Wrong (and 2 more finding(s): see Steps).", result.Message);
    }

    [Fact]
    public void Verdict_records_every_finding_as_a_step()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "Odd.", "Tidy up.");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "Wrong.", "Fix.");

        MxCheckResult result = Apply(verdict);

        Assert.Equal(2, result.Steps.Count);
        Assert.All(result.Steps, s => Assert.Equal("Finding", s.Name));
        Assert.Equal(CheckStatus.Warning, result.Steps[0].Status);
        Assert.Equal("Odd.", result.Steps[0].Detail);
        Assert.Equal(CheckStatus.Failed, result.Steps[1].Status);
        Assert.Equal("Wrong.", result.Steps[1].Detail);
    }

    [Fact]
    public void Verdict_without_findings_passes_with_the_pass_message()
    {
        MxCheckResult result = new MxCheckResult(Domain);

        new Verdict().ApplyTo(result, "all good");

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Equal("all good", result.Message);
        Assert.Null(result.Remediation);
    }

    // ---- Microsoft 365 ----

    [Theory]
    [InlineData("contoso.com", "contoso-com.mail.protection.outlook.com")]
    [InlineData("contoso.com", "CONTOSO-COM.Mail.Protection.Outlook.com.")]
    [InlineData("mail.contoso.co.uk", "mail-contoso-co-uk.mail.protection.outlook.com")]
    [InlineData("contoso.com", "contoso-com.o-v1.mx.microsoft")]
    [InlineData("heig-vd.ch", "heigvd-ch01b.mail.protection.outlook.com")]
    [InlineData("rose-hulman.edu", "rosehulman-edu01c.mail.protection.outlook.com")]
    [InlineData("sub.my-company.com", "sub-mycompany-com01b.i-v1.mx.microsoft")]
    public void Microsoft365_accepts_the_domains_own_mx_host(string domain, string host)
        => Assert.True(ProviderProfile.For(MailProvider.Microsoft365).IsMxHostFor(host, domain));

    [Theory]
    [InlineData("contoso.com", "fabrikam-com.mail.protection.outlook.com")]
    [InlineData("contoso.com", "contoso-com01b.mail.protection.outlook.com")]
    [InlineData("contoso.com", "contoso-com.mail.protection.outlook.com.evil.example")]
    [InlineData("contoso.com", "contoso-com.mx.microsoft")]
    [InlineData("contoso.com", "contoso-com.a.b.mx.microsoft")]
    [InlineData("heig-vd.ch", "heig-vd-ch.mail.protection.outlook.com")]
    [InlineData("heig-vd.ch", "heigvd-ch.mail.protection.outlook.com")]
    [InlineData("heig-vd.ch", "heigvd-ch1b.mail.protection.outlook.com")]
    public void Microsoft365_refuses_other_hosts_as_the_domains_own(string domain, string host)
        => Assert.False(ProviderProfile.For(MailProvider.Microsoft365).IsMxHostFor(host, domain));

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    public void Microsoft365_passes_its_single_mx_at_any_preference(int preference)
    {
        const string host = "contoso-com.mail.protection.outlook.com";
        MxCheckResult result = Run(Records((preference, host)), Hosts(Resolving(host)), MxExpectation.Create(null, MailProvider.Microsoft365, null));

        Assert.Equal(CheckStatus.Passed, result.Status);
    }

    [Fact]
    public void Microsoft365_passes_the_dnssec_mx_form()
    {
        const string host = "contoso-com.o-v1.mx.microsoft";
        Assert.Equal(CheckStatus.Passed, Run(Records((0, host)), Hosts(Resolving(host)), MxExpectation.Create(null, MailProvider.Microsoft365, null)).Status);
    }

    [Fact]
    public void Microsoft365_fails_another_host_and_names_the_expected_value()
    {
        MxCheckResult result = Run(Records((10, "mx1.mail.ovh.net")), Hosts(Resolving("mx1.mail.ovh.net")), MxExpectation.Create(null, MailProvider.Microsoft365, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("MX points to mx1.mail.ovh.net, which is not the Microsoft 365 MX host of the domain", result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("contoso-com.mail.protection.outlook.com (preference 0)", result.Remediation);
        Assert.Contains("Microsoft 365 admin center", result.Remediation);
    }

    [Fact]
    public void Microsoft365_fails_a_backup_mx_beside_its_own()
    {
        const string own = "contoso-com.mail.protection.outlook.com";
        MxCheckResult result = Run(Records((0, own), (20, "backup.contoso.com")), Hosts(Resolving(own), Resolving("backup.contoso.com")),
            MxExpectation.Create(null, MailProvider.Microsoft365, null));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("backup.contoso.com", result.Message);
    }

    [Fact]
    public void Microsoft365_warns_of_another_domains_microsoft_host()
    {
        const string other = "fabrikam-com.mail.protection.outlook.com";
        MxCheckResult result = Run(Records((0, other)), Hosts(Resolving(other)), MxExpectation.Create(null, MailProvider.Microsoft365, null));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains(other, result.Message);
        Assert.NotNull(result.Remediation);
        Assert.Contains("contoso-com.mail.protection.outlook.com", result.Remediation);
    }

    [Fact]
    public void Microsoft365_advises_only_the_form_for_a_domain_with_dashes()
    {
        MxExpectation expectation = MxExpectation.Create(null, MailProvider.Microsoft365, null);
        Verdict verdict = MxRules.Evaluate("heig-vd.ch", Array.Empty<MxRecordInfo>(), Hosts(), expectation);

        Verdict.Finding finding = Assert.Single(verdict.Findings);
        Assert.Contains("heigvd-ch<nnx>.mail.protection.outlook.com (preference 0)", finding.Remediation);
    }

    [Fact]
    public void Microsoft365_expectation_names_each_domains_own_host()
    {
        MxExpectation shared = MxExpectation.Create(null, MailProvider.Microsoft365, null);

        Assert.Equal("contoso-com.mail.protection.outlook.com", shared.For("contoso.com").Describe());
        Assert.Equal("fabrikam-co-uk.mail.protection.outlook.com", shared.For("fabrikam.co.uk").Describe());
        MxExpectation bound = shared.For("contoso.com");
        Assert.Same(bound, bound.For("CONTOSO.com."));
        Assert.Equal("the Microsoft 365 MX host of the domain", bound.HostDescription);
        MxExpectation ovh = MxExpectation.Create(null, MailProvider.OvhEurope, null);
        Assert.Same(ovh, ovh.For("contoso.com"));
    }

    // ---- helpers ----

    private static MxCheckResult Run(IReadOnlyList<MxRecordInfo> records, IReadOnlyDictionary<string, HostResolution> hosts, MxExpectation expectation)
        => Apply(MxRules.Evaluate(Domain, records, hosts, expectation));

    private static MxCheckResult Apply(Verdict verdict) => RuleFixtures.Apply(verdict, new MxCheckResult(Domain));

    private static List<MxRecordInfo> Records(params (int Preference, string Exchange)[] records)
        => records.Select(r => new MxRecordInfo(r.Preference, r.Exchange)).ToList();

    private static List<MxRecordInfo> OvhRecords(IEnumerable<string> hosts)
        => hosts.Select(h => new MxRecordInfo(OvhPreferences[int.Parse(h.Substring(2, 1), System.Globalization.CultureInfo.InvariantCulture)], h)).ToList();
}
