using System.Linq;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>The SPF grammar of RFC 7208 §12, with the RFC's own records and macros as vectors.</summary>
public class SpfParserTests
{
    // ---- RFC 7208 Appendix A and §5: records that must parse ----

    [Theory]
    // Appendix A.1, simple examples
    [InlineData("v=spf1 +all")]
    [InlineData("v=spf1 a -all")]
    [InlineData("v=spf1 a:example.org -all")]
    [InlineData("v=spf1 mx -all")]
    [InlineData("v=spf1 mx:example.org -all")]
    [InlineData("v=spf1 mx mx:example.org -all")]
    [InlineData("v=spf1 mx/30 mx:example.org/30 -all")]
    [InlineData("v=spf1 ptr -all")]
    [InlineData("v=spf1 ip4:192.0.2.128/28 -all")]
    // Appendix A.2, multiple domain example
    [InlineData("v=spf1 include:example.com include:example.net -all")]
    [InlineData("v=spf1 redirect=example.org")]
    // Appendix A.3, DNSBL style example
    [InlineData("v=spf1 mx -exists:%{ir}.sbl.example.org -all")]
    // Appendix A.4, multiple requirements example
    [InlineData("v=spf1 -include:ip4._spf.%{d} -include:ptr._spf.%{d} +all")]
    [InlineData("v=spf1 -ip4:192.0.2.0/24 +all")]
    [InlineData("v=spf1 -ptr +all")]
    // §5: every mechanism in its forms
    [InlineData("v=spf1 a/24 a:offsite.example.com/24 a//64 a/24//64 mx//64 mx:example.com/28//48 ~all")]
    [InlineData("v=spf1 ip6:2001:db8::/32 ip6:2001:db8::1 ip6:::ffff:192.0.2.1/128 ip4:0.0.0.0/0 ?all")]
    [InlineData("v=spf1 exists:%{i}.%{v}._spf.%{d2} ptr:example.com -all")]
    [InlineData("v=spf1 include:_spf.google.com include:mx.ovh.com. ~all")]
    // §6 modifiers, unknown modifiers kept; the version alone is a (neutral) record
    [InlineData("v=spf1 -all exp=explain._spf.%{d}")]
    [InlineData("v=spf1 ip4:192.0.2.1 ra=postmaster rp=100 rr=all:-all -all")]
    [InlineData("v=spf1")]
    [InlineData("V=SPF1 MX -ALL")]
    [InlineData("v=spf1  mx   -all  ")]
    public void Rfc_records_parse(string text)
    {
        SpfParseResult parsed = SpfParser.Parse(text);

        Assert.Null(parsed.Error);
        Assert.NotNull(parsed.Record);
    }

    [Theory]
    // RFC 7208 §7.4 macro examples (domain-specs), and the §7.1 escapes
    [InlineData("%{s}.example.com")]
    [InlineData("%{o}")]
    [InlineData("%{d}")]
    [InlineData("%{d4}")]
    [InlineData("%{d3}")]
    [InlineData("%{d2}")]
    [InlineData("%{d1}")]
    [InlineData("%{dr}")]
    [InlineData("%{d2r}")]
    [InlineData("%{l}.example.com")]
    [InlineData("%{l-}.example.com")]
    [InlineData("%{lr}.example.com")]
    [InlineData("%{lr-}.example.com")]
    [InlineData("%{l1r-}.example.com")]
    [InlineData("%{ir}.%{v}._spf.%{d2}")]
    [InlineData("%{lr-}.lp._spf.%{d2}")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}")]
    [InlineData("%{d2}.trusted-domains.example.net")]
    [InlineData("%{I}.%{H}.%{P}.%{S}.example.com")]
    [InlineData("%%.%_.%-.example.com")]
    [InlineData("%{l=+,/_.-}.example.com")]
    public void Rfc_macro_examples_are_valid_domain_specs(string spec)
    {
        Assert.Null(SpfParser.CheckDomainSpec(spec, out _));
        Assert.Null(SpfParser.Parse($"v=spf1 exists:{spec} -all").Error);
    }

    [Fact]
    public void Macros_are_noted_not_expanded()
    {
        SpfTerm term = SpfParser.Parse("v=spf1 include:%{ir}.%{v}._spf.%{d2} -all").Record!.Terms[0];

        Assert.True(term.HasMacro);
        Assert.Equal("%{ir}.%{v}._spf.%{d2}", term.DomainSpec);
        Assert.False(SpfParser.Parse("v=spf1 include:_spf.example.com -all").Record!.Terms[0].HasMacro);
    }

    // ---- The parsed terms ----

    [Fact]
    public void Terms_keep_qualifier_name_value_and_text_in_order()
    {
        SpfRecord record = SpfParser.Parse("v=spf1 include:mx.ovh.com a:mail.example.com/24//64 -ip4:192.0.2.0/24 ?mx ~all redirect=_spf.example.com foo=bar").Record!;

        Assert.Equal(new[] { "include:mx.ovh.com", "a:mail.example.com/24//64", "-ip4:192.0.2.0/24", "?mx", "~all" }, record.Mechanisms.Select(t => t.Text));
        Assert.Equal(new[] { '+', '+', '-', '?', '~' }, record.Mechanisms.Select(t => t.Qualifier));
        Assert.Equal(new[] { "redirect", "foo" }, record.Modifiers.Select(t => t.Name));
        SpfTerm a = record.Mechanisms[1];
        Assert.Equal(SpfTermKind.A, a.Kind);
        Assert.Equal("mail.example.com", a.DomainSpec);
        Assert.Equal(24, a.Cidr4);
        Assert.Equal(64, a.Cidr6);
        Assert.Equal(SpfTermKind.UnknownModifier, record.Modifiers[1].Kind);
        Assert.Equal("bar", record.Modifiers[1].Value);
        Assert.Equal('~', record.All!.Qualifier);
        Assert.Null(record.EffectiveRedirect);
    }

    [Fact]
    public void Mechanisms_after_all_are_not_evaluated_and_redirect_yields_to_all()
    {
        SpfRecord record = SpfParser.Parse("v=spf1 mx -all include:ignored.example.com redirect=x.example.com").Record!;

        Assert.Equal(new[] { "mx", "-all" }, record.EvaluatedMechanisms.Select(t => t.Text));
        Assert.NotNull(record.Redirect);
        Assert.Null(record.EffectiveRedirect);
        Assert.Equal("x.example.com", SpfParser.Parse("v=spf1 mx redirect=x.example.com").Record!.EffectiveRedirect!.DomainSpec);
    }

    [Theory]
    [InlineData("include", true)]
    [InlineData("a", true)]
    [InlineData("mx", true)]
    [InlineData("ptr", true)]
    [InlineData("exists:%{i}.example.com", true)]
    [InlineData("redirect=example.com", true)]
    [InlineData("ip4:192.0.2.1", false)]
    [InlineData("ip6:2001:db8::1", false)]
    [InlineData("all", false)]
    [InlineData("exp=explain.example.com", false)]
    public void The_terms_that_query_DNS_are_those_of_RFC_7208_4_6_4(string term, bool queries)
    {
        string text = term == "include" ? "include:example.com" : term;
        Assert.Equal(queries, SpfParser.Parse("v=spf1 " + text).Record!.Terms[0].QueriesDns);
    }

    // ---- Which TXT records are SPF records (§4.5) ----

    [Theory]
    [InlineData("v=spf1 -all", true)]
    [InlineData("v=spf1", true)]
    [InlineData("V=Spf1 mx", true)]
    [InlineData("v=spf10 -all", false)]
    [InlineData("v=spf1-all", false)]
    [InlineData(" v=spf1 -all", false)]
    [InlineData("spf2.0/pra -all", false)]
    [InlineData("google-site-verification=abc", false)]
    public void Only_records_starting_with_the_version_then_a_space_or_the_end_are_SPF(string text, bool spf)
        => Assert.Equal(spf, SpfParser.IsSpfRecord(text));

    // ---- Syntax errors: each a PermError naming the bad term ----

    [Theory]
    [InlineData("v=spf1 foo -all", "foo", "UnknownMechanism")]
    [InlineData("v=spf1 include -all", "include", "MissingDomain")]
    [InlineData("v=spf1 include: -all", "include:", "MissingDomain")]
    [InlineData("v=spf1 include:localhost -all", "include:localhost", "BadDomain")]
    [InlineData("v=spf1 include:example.123 -all", "include:example.123", "BadDomain")]
    [InlineData("v=spf1 include:a..example.com -all", "include:a..example.com", "BadDomain")]
    [InlineData("v=spf1 include:%{d}com -all", "include:%{d}com", "BadDomain")]
    [InlineData("v=spf1 exists:%{x}.example.com -all", "exists:%{x}.example.com", "BadMacro")]
    [InlineData("v=spf1 exists:%{d0}.example.com -all", "exists:%{d0}.example.com", "BadMacro")]
    [InlineData("v=spf1 exists:%{d.example.com -all", "exists:%{d.example.com", "BadMacro")]
    [InlineData("v=spf1 exists:%d.example.com -all", "exists:%d.example.com", "BadMacro")]
    [InlineData("v=spf1 exists:%{d2x}.example.com -all", "exists:%{d2x}.example.com", "BadMacro")]
    [InlineData("v=spf1 exists:%{c}.example.com -all", "exists:%{c}.example.com", "MacroLetterOnlyInExplanation")]
    [InlineData("v=spf1 ip4:192.0.2.300 -all", "ip4:192.0.2.300", "BadIp4")]
    [InlineData("v=spf1 ip4:192.0.2 -all", "ip4:192.0.2", "BadIp4")]
    [InlineData("v=spf1 ip4:192.0.2.01 -all", "ip4:192.0.2.01", "BadIp4")]
    [InlineData("v=spf1 ip4:2001:db8::1 -all", "ip4:2001:db8::1", "BadIp4")]
    [InlineData("v=spf1 ip4 -all", "ip4", "BadIp4")]
    [InlineData("v=spf1 ip6:192.0.2.1 -all", "ip6:192.0.2.1", "BadIp6")]
    [InlineData("v=spf1 ip6:2001:db8::zz -all", "ip6:2001:db8::zz", "BadIp6")]
    [InlineData("v=spf1 ip4:192.0.2.0/33 -all", "ip4:192.0.2.0/33", "BadCidr")]
    [InlineData("v=spf1 ip4:192.0.2.0/024 -all", "ip4:192.0.2.0/024", "BadCidr")]
    [InlineData("v=spf1 ip6:2001:db8::/129 -all", "ip6:2001:db8::/129", "BadCidr")]
    [InlineData("v=spf1 a/33 -all", "a/33", "BadCidr")]
    [InlineData("v=spf1 mx//129 -all", "mx//129", "BadCidr")]
    [InlineData("v=spf1 mx:example.com/ -all", "mx:example.com/", "BadDomain")]
    [InlineData("v=spf1 all:example.com", "all:example.com", "UnexpectedArgument")]
    [InlineData("v=spf1 include/24 -all", "include/24", "UnexpectedArgument")]
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com", "redirect=b.example.com", "DuplicateModifier")]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com -all", "exp=b.example.com", "DuplicateModifier")]
    [InlineData("v=spf1 redirect= -all", "redirect=", "MissingDomain")]
    [InlineData("v=spf1 1foo=bar -all", "1foo=bar", "BadModifierName")]
    [InlineData("v=spf1 +-all", "+-all", "UnknownMechanism")]
    [InlineData("v=spf1 include:exa\u00e9mple.com -all", "include:exa\u00e9mple.com", "BadCharacter")]
    [InlineData("v=spf1 mx\t-all", "mx\t-all", "BadCharacter")]
    public void Syntax_errors_name_the_bad_term(string text, string badTerm, string error)
    {
        SpfParseResult parsed = SpfParser.Parse(text);

        Assert.Null(parsed.Record);
        Assert.Equal(error, parsed.Error.ToString());
        Assert.Equal(badTerm, parsed.BadTerm);
    }

    [Fact]
    public void A_bad_term_is_shown_safely_escaped_and_cut()
    {
        SpfParseResult parsed = SpfParser.Parse("v=spf1 \u001b[31m" + new string('x', 500) + " -all");

        Assert.Equal(SpfSyntaxError.BadCharacter, parsed.Error);
        Assert.StartsWith("\\x1B[31m", parsed.BadTerm);
        Assert.True(parsed.BadTerm!.Length <= SpfParser.MaxShownTerm + 1);
    }

    [Fact]
    public void Input_is_bounded_in_length_and_in_terms()
    {
        Assert.Equal(SpfSyntaxError.TooLong, SpfParser.Parse("v=spf1 " + new string('a', SpfParser.MaxLength)).Error);
        string many = "v=spf1 " + string.Join(" ", Enumerable.Range(0, SpfParser.MaxTerms + 1).Select(i => "ip4:192.0.2.1"));
        Assert.Equal(SpfSyntaxError.TooManyTerms, SpfParser.Parse(many).Error);
        string enough = "v=spf1 " + string.Join(" ", Enumerable.Range(0, SpfParser.MaxTerms).Select(i => "a"));
        Assert.NotNull(SpfParser.Parse(enough).Record);
    }
}
