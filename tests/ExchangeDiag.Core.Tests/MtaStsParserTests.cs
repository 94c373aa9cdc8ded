using System.Linq;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

public class MtaStsParserTests
{
    // ---- the _mta-sts TXT record (RFC 8461 §3.1) ----

    [Fact]
    public void Rfc8461_record_example_parses()
    {
        const string text = "v=STSv1; id=20160831085700Z;";
        Assert.True(MtaStsRecord.IsStsRecord(text));
        MtaStsRecord record = MtaStsRecord.Parse(text);
        Assert.True(record.IsValid);
        Assert.Equal("20160831085700Z", record.Id);
    }

    [Theory]
    [InlineData("v=STSv1;id=abc")]
    [InlineData("v=STSv1; id=abc")]
    [InlineData("v=STSv1 ;id=abc; ")]
    [InlineData("v=STSv1; id=abc; ext_1=value; other.ext=x")]
    [InlineData("v=STSv1; id=12345678901234567890123456789012")]
    public void Valid_records_parse(string text)
    {
        MtaStsRecord record = MtaStsRecord.Parse(text);
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.NotNull(record.Id);
    }

    [Theory]
    [InlineData("v=STSv1;", "no id=")]
    [InlineData("v=STSv1; id=", "letters and digits")]
    [InlineData("v=STSv1; id=2016-08-31", "letters and digits")]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", "letters and digits")]
    [InlineData("v=STSv1; id=a; id=b", "twice")]
    [InlineData("v=STSv1; id=a; garbage", "not a name=value")]
    [InlineData("v=STSv1; id=a; -bad=x", "extension")]
    public void Invalid_records_say_why(string text, string why)
    {
        MtaStsRecord record = MtaStsRecord.Parse(text);
        Assert.False(record.IsValid);
        Assert.Contains(record.Errors, e => e.Contains(why));
    }

    [Theory]
    [InlineData("v=spf1 -all")]
    [InlineData("v=STSv10; id=a")]
    [InlineData("V=STSV1; id=a")]
    [InlineData("id=a; v=STSv1")]
    public void Other_txt_records_are_not_sts_records(string text) => Assert.False(MtaStsRecord.IsStsRecord(text));

    // ---- the policy file (RFC 8461 §3.2) ----

    [Fact]
    public void Rfc8461_policy_example_parses()
    {
        const string text = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";
        MtaStsPolicy policy = MtaStsPolicy.Parse(text);
        Assert.True(policy.IsValid, string.Join("; ", policy.Errors));
        Assert.Empty(policy.Warnings);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(604800, policy.MaxAge);
        Assert.Equal(new[] { "mail.example.com", "*.example.net", "backupmx.example.com" }, policy.Mx);
    }

    [Fact]
    public void Bare_line_feeds_blank_lines_and_unknown_keys_are_tolerated()
    {
        MtaStsPolicy policy = MtaStsPolicy.Parse("version: STSv1\nmode: testing\n\nfuture_key: anything at all\nmx:mail.example.com\nmax_age:86400");
        Assert.True(policy.IsValid, string.Join("; ", policy.Errors));
        Assert.Equal(MtaStsMode.Testing, policy.Mode);
        Assert.Equal(86400, policy.MaxAge);
        Assert.Equal(new[] { "mail.example.com" }, policy.Mx);
    }

    [Fact]
    public void Mode_none_needs_no_mx()
    {
        MtaStsPolicy policy = MtaStsPolicy.Parse("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
        Assert.True(policy.IsValid);
        Assert.Equal(MtaStsMode.None, policy.Mode);
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example\nmax_age: 1", "version")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1", "not STSv1")]
    [InlineData("version: STSv1\nmx: a.example\nmax_age: 1", "mode")]
    [InlineData("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1", "not enforce, testing or none")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example", "max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: a week", "not a number")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400", "no valid \"mx:\"")]
    [InlineData("<html><body>It works</body></html>", "not a \"key: value\"")]
    [InlineData("", "version")]
    public void Invalid_policies_say_why(string text, string why)
    {
        MtaStsPolicy policy = MtaStsPolicy.Parse(text);
        Assert.False(policy.IsValid);
        Assert.Contains(policy.Errors, e => e.Contains(why));
    }

    [Fact]
    public void Flaws_senders_tolerate_are_warnings()
    {
        MtaStsPolicy policy = MtaStsPolicy.Parse("version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmx: bad_host!\nmax_age: 99999999");
        Assert.True(policy.IsValid);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(new[] { "a.example" }, policy.Mx);
        Assert.Equal(3, policy.Warnings.Count);
    }

    [Fact]
    public void Garbage_never_throws_and_is_bounded()
    {
        string garbage = string.Concat(Enumerable.Repeat("\u0000\u001b[31m:\r\n", 20000));
        MtaStsPolicy policy = MtaStsPolicy.Parse(garbage);
        Assert.False(policy.IsValid);
        Assert.True(policy.Errors.Count < 1100);
    }

    // ---- mx pattern matching (RFC 8461 §4.1) ----

    [Theory]
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "foo.mail.example.com", false)]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.Example.COM.", true)]
    [InlineData("mail.example.com.", "mail.example.com", true)]
    [InlineData("*.EXAMPLE.com", "Mx1.example.COM", true)]
    [InlineData("mail.example.com", "mail2.example.com", false)]
    [InlineData("mail.example.com", "example.com", false)]
    [InlineData("*.example.com", ".example.com", false)]
    public void Mx_patterns_match_as_rfc8461_says(string pattern, string host, bool matches)
        => Assert.Equal(matches, MtaStsPolicy.Matches(pattern, host));

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("mail.example.com.", true)]
    [InlineData("mail.*.com", false)]
    [InlineData("*", false)]
    [InlineData("mail.example.com:25", false)]
    [InlineData("-mail.example.com", false)]
    [InlineData("", false)]
    public void Mx_pattern_syntax(string value, bool valid) => Assert.Equal(valid, MtaStsPolicy.IsPattern(value));

    // ---- TLS-RPT (RFC 8460 §3) ----

    [Theory]
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com", "mailto:reports@example.com")]
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", "https://reporting.example.com/v1/tlsrpt")]
    public void Rfc8460_examples_parse(string text, string destination)
    {
        Assert.True(TlsRptRecord.IsTlsRptRecord(text));
        TlsRptRecord record = TlsRptRecord.Parse(text);
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal(new[] { destination }, record.Destinations);
    }

    [Fact]
    public void Several_destinations_and_extensions()
    {
        TlsRptRecord record = TlsRptRecord.Parse("v=TLSRPTv1; rua=mailto:tls@example.com, https://r.example.net/tlsrpt; ext=1;");
        Assert.True(record.IsValid, string.Join("; ", record.Errors));
        Assert.Equal(new[] { "mailto:tls@example.com", "https://r.example.net/tlsrpt" }, record.Destinations);
    }

    [Theory]
    [InlineData("v=TLSRPTv1;", "no rua=")]
    [InlineData("v=TLSRPTv1; rua=reports@example.com", "not a mailto:")]
    [InlineData("v=TLSRPTv1; rua=http://r.example.com/", "not a mailto:")]
    [InlineData("v=TLSRPTv1; rua=mailto:", "not a mailto:")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", "twice")]
    public void Invalid_tlsrpt_records_say_why(string text, string why)
    {
        TlsRptRecord record = TlsRptRecord.Parse(text);
        Assert.False(record.IsValid);
        Assert.Contains(record.Errors, e => e.Contains(why));
    }
}
