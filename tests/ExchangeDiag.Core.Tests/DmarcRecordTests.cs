using System.Linq;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

public class DmarcRecordTests
{
    // RFC 7489 Appendix B.2.1: monitoring only, aggregate reports to the domain itself.
    [Fact]
    public void Rfc7489_B21_entire_domain_monitoring_only()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com");
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal("none", record.Policy);
        Assert.Null(record.SubdomainPolicy);
        Assert.Equal(100, record.Percentage);
        Assert.Equal("relaxed", record.DkimAlignment);
        Assert.Equal("relaxed", record.SpfAlignment);
        DmarcUri rua = Assert.Single(record.AggregateUris);
        Assert.Equal("dmarc-feedback@example.com", rua.Address);
        Assert.Equal("example.com", rua.Domain);
    }

    // B.2.2: failure reports to a third party.
    [Fact]
    public void Rfc7489_B22_per_message_failure_reports_to_a_third_party()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com; ruf=mailto:auth-reports@thirdparty.example.net");
        Assert.True(record.IsValid);
        Assert.Equal("thirdparty.example.net", Assert.Single(record.ForensicUris).Domain);
    }

    // B.2.4: quarantine, sampling, two aggregate URIs, the second with a size limit.
    [Fact]
    public void Rfc7489_B24_sampling_and_two_aggregate_uris_with_a_size_limit()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com,mailto:tld-test@thirdparty.example.net!10m; pct=25");
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal("quarantine", record.Policy);
        Assert.Equal(25, record.Percentage);
        Assert.Equal(new[] { "example.com", "thirdparty.example.net" }, record.AggregateUris.Select(u => u.Domain));
        Assert.Equal("tld-test@thirdparty.example.net", record.AggregateUris[1].Address);
    }

    // §7.1: the authorisation record a third party publishes.
    [Fact]
    public void Rfc7489_71_authorisation_record_is_a_dmarc_record()
    {
        Assert.True(DmarcRecord.IsDmarc("v=DMARC1"));
    }

    [Fact]
    public void Every_tag_is_read()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1;p=REJECT;sp=quarantine;np=reject;adkim=s;aspf=s;pct=100;fo=0:1:d:s;rf=afrf;ri=86400;psd=n;future=ignored");
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal("reject", record.Policy);
        Assert.Equal("quarantine", record.SubdomainPolicy);
        Assert.Equal("reject", record.NonExistentPolicy);
        Assert.Equal("strict", record.DkimAlignment);
        Assert.Equal("strict", record.SpfAlignment);
        Assert.Equal("n", record.PublicSuffix);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject", true)]
    [InlineData("v=DMARC1", true)]
    [InlineData("v = DMARC1 ; p=none", true)]
    [InlineData("V=DMARC1; p=none", true)]
    [InlineData("v=dmarc1; p=none", false)]
    [InlineData("v=DMARC10; p=none", false)]
    [InlineData("p=reject; v=DMARC1", false)]
    [InlineData("v=spf1 -all", false)]
    [InlineData("", false)]
    public void Only_records_starting_with_v_DMARC1_are_dmarc_records(string text, bool isDmarc)
        => Assert.Equal(isDmarc, DmarcRecord.IsDmarc(text));

    // RFC 7489 §6.6.3: receivers discard the record only when its policy is missing or invalid.
    [Theory]
    [InlineData("v=DMARC1; rua=mailto:d@example.com", "p= tag (the policy) is missing")]
    [InlineData("v=DMARC1; p=block", "p=block is not none, quarantine or reject")]
    [InlineData("v=DMARC1; p=none; p=reject", "appears twice with different policies")]
    [InlineData("v=DMARC1; garbage; rua=mailto:d@example.com", "p= tag (the policy) is missing")]
    public void Records_receivers_discard_say_why(string text, string reason)
    {
        DmarcRecord record = DmarcRecord.Parse(text);
        Assert.False(record.IsValid);
        Assert.Null(record.Policy);
        Assert.Contains(record.Errors, e => e.Contains(reason));
    }

    // Everything else costs reports or an option, not the policy: p= is still read, and the mistake is kept as a warning.
    [Theory]
    [InlineData("v=DMARC1; p=reject; pct=101", "pct=101")]
    [InlineData("v=DMARC1; p=reject; pct=-1", "pct=-1")]
    [InlineData("v=DMARC1; p=reject; pct=50%", "pct=50%")]
    [InlineData("v=DMARC1; p=reject; rua=reports@example.com", "'reports@example.com' is not a URI")]
    [InlineData("v=DMARC1; rua=dmarc@example.com; p=reject", "'dmarc@example.com' is not a URI")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:reports", "not mailto:address@domain")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:r@bad_domain!", "not mailto:address@domain")]
    [InlineData("v=DMARC1; p=reject; rua=mailto:r@example.com!10x", "not mailto:address@domain")]
    [InlineData("v=DMARC1; p=reject; adkim=x", "adkim=x")]
    [InlineData("v=DMARC1; p=reject; np=maybe", "np=maybe")]
    [InlineData("v=DMARC1; p=reject; fo=2", "fo=2")]
    [InlineData("v=DMARC1; p=reject; rf=a f", "rf=a f")]
    [InlineData("v=DMARC1; p=reject; ri=day", "ri=day")]
    [InlineData("v=DMARC1; p=reject; p=reject", "the tag p appears twice")]
    [InlineData("v=DMARC1; rua=mailto:a@example.com; rua=mailto:b@example.com; p=reject", "the tag rua appears twice")]
    [InlineData("v=DMARC1; garbage; p=reject", "'garbage' is not tag=value")]
    [InlineData("v=DMARC1; 1x=y; p=reject", "'1x' is not a tag name")]
    [InlineData("v=DMARC1; x=\u00e9; p=reject", "not printable ASCII")]
    public void Mistakes_receivers_pass_over_keep_the_policy(string text, string reason)
    {
        DmarcRecord record = DmarcRecord.Parse(text);
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal("reject", record.Policy);
        Assert.Contains(record.Warnings, w => w.Contains(reason));
    }

    [Fact]
    public void A_bad_sp_is_kept_apart_for_subdomains()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=reject; sp=maybe");
        Assert.True(record.IsValid);
        Assert.Equal("reject", record.Policy);
        Assert.Null(record.SubdomainPolicy);
        Assert.Contains("sp=maybe", record.SubdomainPolicyError);
        Assert.Empty(record.Warnings);
        Assert.Contains("appears twice", DmarcRecord.Parse("v=DMARC1; p=reject; sp=none; sp=reject").SubdomainPolicyError);
    }

    [Fact]
    public void Report_uris_are_read_beside_a_bad_one()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=quarantine; rua=dmarc@example.com,mailto:agg@example.net");
        Assert.True(record.IsValid);
        Assert.Equal("agg@example.net", Assert.Single(record.AggregateUris).Address);
        Assert.Single(record.Warnings);
    }

    [Fact]
    public void Other_uri_schemes_are_kept_but_are_not_mailto()
    {
        DmarcRecord record = DmarcRecord.Parse("v=DMARC1; p=reject; rua=https://reports.example.com/dmarc");
        Assert.True(record.IsValid);
        Assert.False(Assert.Single(record.AggregateUris).IsMailto);
    }

    [Fact]
    public void Uris_and_records_are_bounded()
    {
        string many = string.Join(",", Enumerable.Range(0, 50).Select(i => $"mailto:r{i}@example.com"));
        Assert.Equal(DmarcRecord.MaxUris, DmarcRecord.Parse("v=DMARC1; p=none; rua=" + many).AggregateUris.Count);
        Assert.False(DmarcRecord.Parse("v=DMARC1; p=none; x=" + new string('a', 70000)).IsValid);
    }

    [Theory]
    [InlineData("example.com", new[] { "example.com" })]
    [InlineData("a.b.example.com", new[] { "a.b.example.com", "b.example.com", "example.com" })]
    [InlineData("com", new[] { "com" })]
    [InlineData("a.b.c.d.e.f.g.h.i.example.com", new[] { "a.b.c.d.e.f.g.h.i.example.com", "e.f.g.h.i.example.com", "f.g.h.i.example.com", "g.h.i.example.com", "h.i.example.com", "i.example.com", "example.com" })]
    public void Tree_walk_asks_at_most_8_names_and_never_the_top_level_domain(string domain, string[] expected)
        => Assert.Equal(expected, DmarcCheck.TreeWalk(domain));
}
