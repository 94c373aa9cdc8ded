using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>The SPF rules over a zone held in memory: no DNS server is asked.</summary>
public class SpfRulesTests
{
    private const string Domain = "contoso.com";

    /// <summary>A zone in memory: TXT strings, A names, MX counts; anything else is NXDOMAIN. Counts the questions.</summary>
    private sealed class FakeZone
    {
        private readonly Dictionary<string, string[][]> _txt = new Dictionary<string, string[][]>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _a = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, int> _mx = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _failing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public int Questions { get; private set; }

        public FakeZone Txt(string name, params string[] records)
        {
            _txt[name] = records.Select(r => new[] { r }).ToArray();
            return this;
        }

        public FakeZone TxtStrings(string name, params string[] strings)
        {
            _txt[name] = new[] { strings };
            return this;
        }

        public FakeZone A(string name)
        {
            _a.Add(name);
            return this;
        }

        public FakeZone Mx(string name, int hosts)
        {
            _mx[name] = hosts;
            return this;
        }

        public FakeZone Failing(string name)
        {
            _failing.Add(name);
            return this;
        }

        public Task<DnsLookup> Query(string name, QueryType type, CancellationToken token)
        {
            Questions++;
            var info = new ResourceRecordInfo(name, (ResourceRecordType)type, QueryClass.IN, 300, 0);
            if (_failing.Contains(name))
            {
                return Task.FromResult(new DnsLookup(name, type, "192.0.2.53:53", DnsOutcome.ServerError, "SERVFAIL", Array.Empty<DnsResourceRecord>(), TimeSpan.Zero));
            }

            var answers = new List<DnsResourceRecord>();
            bool exists = _txt.ContainsKey(name) || _a.Contains(name) || _mx.ContainsKey(name);
            if (type == QueryType.TXT && _txt.TryGetValue(name, out string[][]? txt))
            {
                answers.AddRange(txt.Select(strings => new TxtRecord(info, strings, strings)));
            }
            else if (type == QueryType.A && _a.Contains(name))
            {
                answers.Add(new ARecord(info, IPAddress.Parse("192.0.2.1")));
            }
            else if (type == QueryType.MX && _mx.TryGetValue(name, out int hosts))
            {
                answers.AddRange(Enumerable.Range(1, hosts).Select(i => new MxRecord(info, (ushort)i, DnsString.Parse($"mx{i}.{name}."))));
            }

            return Task.FromResult(new DnsLookup(name, type, "192.0.2.53:53", exists ? DnsOutcome.Answered : DnsOutcome.NameError, exists ? "NOERROR" : "NXDOMAIN", answers, TimeSpan.Zero));
        }
    }

    private static SpfCheckResult Run(FakeZone zone, SpfExpectation? expectation = null, string domain = Domain)
    {
        var result = new SpfCheckResult(domain);
        DnsLookup own = zone.Query(domain, QueryType.TXT, default).Result;
        Verdict verdict = SpfCheck.EvaluateAsync(result, domain, DnsCheck.TxtRecords(own), expectation ?? SpfExpectation.Any, zone.Query, default).GetAwaiter().GetResult();
        verdict.ApplyTo(result, SpfCheck.PassMessage(result));
        // The contract every result keeps: a remediation exactly when it did not pass.
        Assert.Equal(result.Status != CheckStatus.Passed, !string.IsNullOrWhiteSpace(result.Remediation));
        return result;
    }

    // ---- the record itself ----

    [Fact]
    public void A_valid_record_passes_with_its_terms_and_lookup_count()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:mx.ovh.com ip4:192.0.2.0/24 ~all", "google-site-verification=abc", "v=spf10 no")
            .Txt("mx.ovh.com", "v=spf1 ip4:198.51.100.0/24 ~all");

        SpfCheckResult result = Run(zone, SpfExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal("v=spf1 include:mx.ovh.com ip4:192.0.2.0/24 ~all", result.Record);
        Assert.Equal("include:mx.ovh.com; ip4:192.0.2.0/24; ~all", result.Mechanisms.ToString());
        Assert.Equal("~", result.Mechanisms[2].Qualifier);
        Assert.Equal("all", result.Mechanisms[2].Name);
        Assert.Equal("mx.ovh.com", result.Mechanisms[0].Value);
        Assert.Equal(1, result.LookupCount);
        Assert.Equal(new[] { "mx.ovh.com" }, result.Includes);
        Assert.Contains("~all", result.Message);
        Assert.Contains("1 of the 10", result.Message);
    }

    [Fact]
    public void No_SPF_record_fails_with_SpfMissing_and_advises_the_provider_record()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "google-site-verification=abc", "v=spf10 -all"), SpfExpectation.Create(null, MailProvider.OvhCanada));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfMissing, result.Cause);
        Assert.Contains("v=spf1 include:mx.ovh.ca ~all", result.Remediation);
    }

    [Fact]
    public void Two_SPF_records_are_a_PermError()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 -all", "V=SPF1 mx -all"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Contains("2 SPF records", result.Message);
        Assert.Null(result.Record);
    }

    [Fact]
    public void A_record_split_in_strings_is_joined_without_spaces()
    {
        SpfCheckResult result = Run(new FakeZone().TxtStrings(Domain, "v=spf1 ip4:192.0.", "2.1 -all"));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal("ip4:192.0.2.1; -all", result.Mechanisms.ToString());
    }

    [Fact]
    public void A_syntax_error_names_the_term_safely()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 ip4:192.0.2.300 \u001b[2J -all"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Contains("'ip4:192.0.2.300'", result.Message);
        Assert.Contains("IPv4", result.Message);
        Assert.Contains("\\x1B[2J", result.Record);
    }

    [Theory]
    [InlineData("v=spf1 +all")]
    [InlineData("v=spf1 mx all")]
    public void Pass_all_fails(string record)
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, record).Mx(Domain, 1));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Contains("any server in the world", result.Message);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.1 -all")]
    [InlineData("v=spf1 ip4:192.0.2.1 ~all")]
    public void Fail_and_softfail_pass(string record)
        => Assert.Equal(CheckStatus.Passed, Run(new FakeZone().Txt(Domain, record)).Status);

    [Fact]
    public void Neutral_all_warns()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 ip4:192.0.2.1 ?all"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Contains("?all", result.Message);
    }

    [Fact]
    public void No_all_and_no_redirect_warns()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 ip4:192.0.2.1"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("no all mechanism", result.Message);
    }

    [Fact]
    public void A_redirect_takes_the_all_of_its_target()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 redirect=_spf.contoso.com").Txt("_spf.contoso.com", "v=spf1 ip4:192.0.2.1 -all");
        SpfCheckResult result = Run(zone);
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(1, result.LookupCount);

        zone.Txt("_spf.contoso.com", "v=spf1 ip4:192.0.2.1 +all");
        Assert.Equal(CheckStatus.Failed, Run(zone).Status);
    }

    [Fact]
    public void Ptr_warns_as_deprecated()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 ptr -all"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("RFC 7208 §5.5", result.Message);
        Assert.Equal(1, result.LookupCount);
    }

    [Fact]
    public void Ptr_with_a_macro_warns_too()
        => Assert.Equal(CheckStatus.Warning, Run(new FakeZone().Txt(Domain, "v=spf1 ptr:%{d} -all")).Status);

    // ---- the tree: lookups, void lookups, includes ----

    [Fact]
    public void Eleven_lookups_through_nested_includes_fail_naming_the_count_and_the_chain()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:n1.contoso.com -all").A("host.contoso.com");
        for (int i = 1; i <= 4; i++)
        {
            zone.Txt($"n{i}.contoso.com", $"v=spf1 a:host.contoso.com include:n{i + 1}.contoso.com -all");
        }

        zone.Txt("n5.contoso.com", "v=spf1 a:host.contoso.com a:host.contoso.com -all");

        SpfCheckResult result = Run(zone);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Equal(11, result.LookupCount);
        Assert.Contains("at least 11 DNS lookups", result.Message);
        Assert.Contains("contoso.com > n1.contoso.com > n2.contoso.com > n3.contoso.com > n4.contoso.com > n5.contoso.com > a:host.contoso.com", result.Message);
    }

    [Fact]
    public void Ten_lookups_pass()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 a mx include:a.contoso.com include:b.contoso.com -all").A(Domain).Mx(Domain, 2)
            .Txt("a.contoso.com", "v=spf1 a:x.contoso.com a:x.contoso.com a:x.contoso.com -all").A("x.contoso.com")
            .Txt("b.contoso.com", "v=spf1 a:x.contoso.com a:x.contoso.com a:x.contoso.com -all");

        SpfCheckResult result = Run(zone);

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(10, result.LookupCount);
    }

    [Fact]
    public void A_hostile_tree_is_not_followed_past_the_limit()
    {
        // Every record includes ten others: a receiver would give up at the eleventh lookup, and so does the check.
        FakeZone zone = new FakeZone();
        for (int i = 0; i < 200; i++)
        {
            zone.Txt($"h{i}.contoso.com", "v=spf1 " + string.Join(" ", Enumerable.Range(1, 10).Select(j => $"include:h{(i * 10) + j}.contoso.com")) + " -all");
        }

        zone.Txt(Domain, "v=spf1 include:h0.contoso.com -all");
        SpfCheckResult result = Run(zone);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.True(zone.Questions < 20, $"{zone.Questions} questions asked");
        Assert.True(result.Includes.Count <= 10);
    }

    [Fact]
    public void More_than_two_void_lookups_fail_and_two_pass()
    {
        SpfCheckResult three = Run(new FakeZone().Txt(Domain, "v=spf1 a:gone1.contoso.com a:gone2.contoso.com mx:gone3.contoso.com -all"));
        Assert.Equal(CheckStatus.Failed, three.Status);
        Assert.Equal(3, three.VoidLookupCount);
        Assert.Contains("gone1.contoso.com, gone2.contoso.com, gone3.contoso.com", three.Message);

        SpfCheckResult two = Run(new FakeZone().Txt(Domain, "v=spf1 a:gone1.contoso.com a:gone2.contoso.com -all"));
        Assert.Equal(CheckStatus.Passed, two.Status);
        Assert.Equal(2, two.VoidLookupCount);
    }

    [Fact]
    public void An_include_loop_fails_naming_the_loop()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:b.contoso.com -all").Txt("b.contoso.com", "v=spf1 include:contoso.com -all");

        SpfCheckResult result = Run(zone);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("includes itself", result.Message);
        Assert.Contains("contoso.com > b.contoso.com > include:contoso.com", result.Message);
    }

    [Fact]
    public void An_include_of_a_name_without_SPF_fails_and_one_with_two_records_too()
    {
        SpfCheckResult none = Run(new FakeZone().Txt(Domain, "v=spf1 include:other.example -all").Txt("other.example", "hello"));
        Assert.Equal(CheckStatus.Failed, none.Status);
        Assert.Contains("include:other.example", none.Message);
        Assert.Contains("has no SPF record", none.Message);

        SpfCheckResult gone = Run(new FakeZone().Txt(Domain, "v=spf1 include:gone.example -all"));
        Assert.Equal(CheckStatus.Failed, gone.Status);
        Assert.Equal(1, gone.VoidLookupCount);

        SpfCheckResult two = Run(new FakeZone().Txt(Domain, "v=spf1 include:two.example -all").Txt("two.example", "v=spf1 -all", "v=spf1 mx -all"));
        Assert.Equal(CheckStatus.Failed, two.Status);
        Assert.Contains("2 SPF records", two.Message);
    }

    [Fact]
    public void An_invalid_included_record_fails_naming_its_domain_and_term()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 include:bad.example -all").Txt("bad.example", "v=spf1 ip4:1.2.3 -all"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("bad.example", result.Message);
        Assert.Contains("'ip4:1.2.3'", result.Message);
    }

    [Fact]
    public void An_include_of_a_pass_all_record_fails()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 include:open.example -all").Txt("open.example", "v=spf1 +all"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("+all", result.Message);
    }

    [Fact]
    public void A_macro_include_is_counted_not_followed_and_not_a_warning()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:%{ir}.%{v}._spf.%{d2} exists:%{i}.bl.contoso.com -all");

        SpfCheckResult result = Run(zone);

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(2, result.LookupCount);
        Assert.Empty(result.Includes);
        Assert.Contains(result.Steps, s => s.Detail.Contains("not followed (macro)"));
        Assert.Equal(1, zone.Questions);
    }

    [Fact]
    public void An_mx_mechanism_with_more_than_ten_hosts_is_a_PermError()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 mx -all").Mx(Domain, 11));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("11 mail hosts", result.Message);
        Assert.Equal(CheckStatus.Passed, Run(new FakeZone().Txt(Domain, "v=spf1 mx -all").Mx(Domain, 10)).Status);
    }

    [Fact]
    public void A_DNS_failure_below_the_record_is_an_Error_not_a_finding_about_the_domain()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 include:flaky.example -all").Failing("flaky.example"));

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.DnsUnavailable, result.Cause);
        Assert.Contains("SERVFAIL", result.Message);
    }

    // ---- the provider's include ----

    [Fact]
    public void The_provider_include_may_be_nested()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:_spf.contoso.com -all")
            .Txt("_spf.contoso.com", "v=spf1 include:mx.ovh.com -all").Txt("mx.ovh.com", "v=spf1 ip4:198.51.100.0/24 ~all");

        SpfCheckResult result = Run(zone, SpfExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(new[] { "_spf.contoso.com", "mx.ovh.com" }, result.Includes);
    }

    [Fact]
    public void A_missing_provider_include_fails_saying_what_to_add()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 ip4:192.0.2.0/24 -all"), SpfExpectation.Create(null, MailProvider.OvhEurope));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.SpfInvalid, result.Cause);
        Assert.Contains("does not include mx.ovh.com", result.Message);
        Assert.Contains("OVHcloud Exchange", result.Message);
        Assert.Contains("v=spf1 ip4:192.0.2.0/24 include:mx.ovh.com -all", result.Remediation);
    }

    [Fact]
    public void ExpectedInclude_replaces_the_provider_and_every_one_is_required()
    {
        FakeZone zone = new FakeZone().Txt(Domain, "v=spf1 include:spf.protection.outlook.com -all")
            .Txt("spf.protection.outlook.com", "v=spf1 ip4:192.0.2.0/24 -all");

        Assert.Equal(CheckStatus.Passed, Run(zone, SpfExpectation.Create(new[] { "SPF.Protection.Outlook.com." }, MailProvider.OvhEurope)).Status);
        SpfCheckResult result = Run(zone, SpfExpectation.Create(new[] { "spf.protection.outlook.com", "mx.ovh.com" }, null));
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("mx.ovh.com", result.Message);
    }

    [Fact]
    public void Expectation_describes_itself()
    {
        Assert.Equal(new[] { "mx.ovh.com" }, SpfExpectation.Create(null, MailProvider.OvhEurope).Includes);
        Assert.Equal(new[] { "mx.ovh.ca" }, SpfExpectation.Create(null, MailProvider.OvhCanada).Includes);
        Assert.Equal(new[] { "spf.protection.outlook.com" }, SpfExpectation.Create(null, MailProvider.Microsoft365).Includes);
        Assert.Equal("Microsoft 365", SpfExpectation.Create(null, MailProvider.Microsoft365).ProviderName);
        Assert.Empty(SpfExpectation.Create(null, null).Includes);
        Assert.Contains("mx.ovh.com", SpfExpectation.Create(null, MailProvider.OvhEurope).Describe());
    }

    // ---- result texts ----

    [Fact]
    public void CleanTexts_reaches_the_record_and_its_terms()
    {
        SpfCheckResult result = Run(new FakeZone().Txt(Domain, "v=spf1 include:secret.example -all").Txt("secret.example", "v=spf1 -all"));

        result.CleanTexts(text => text.Replace("secret", "[x]"));

        Assert.Equal("v=spf1 include:[x].example -all", result.Record);
        Assert.Equal("include:[x].example", result.Mechanisms[0].ToString());
        Assert.Equal("[x].example", result.Mechanisms[0].Value);
        Assert.Equal("[x].example", result.Includes[0]);
    }

    [Fact]
    public void The_JSON_report_documents_the_term_fields()
    {
        string root = AppContext.BaseDirectory;
        while (!System.IO.File.Exists(System.IO.Path.Combine(root, "ExchangeDiag.sln")))
        {
            root = System.IO.Path.GetDirectoryName(root.TrimEnd(System.IO.Path.DirectorySeparatorChar))!;
        }

        string doc = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "report-json.md"));
        string section = doc.Substring(doc.IndexOf("### SpfTermInfo", StringComparison.Ordinal));
        foreach (string field in typeof(SpfTermInfo).GetProperties().Select(p => p.Name))
        {
            Assert.Contains($"| `{field}` |", section.Substring(0, section.IndexOf("\n### ", 5, StringComparison.Ordinal)));
        }
    }
}
