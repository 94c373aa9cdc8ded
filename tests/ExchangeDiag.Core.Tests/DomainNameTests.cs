using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Tests;

public class DomainNameTests
{
    [Theory]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData("Contoso.COM.", "contoso.com")]
    [InlineData("  contoso.com  ", "contoso.com")]
    [InlineData("user@contoso.com", "contoso.com")]
    [InlineData("First.Last@Mail.Contoso.com", "mail.contoso.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("_autodiscover._tcp.contoso.com", "_autodiscover._tcp.contoso.com")]
    [InlineData("my_host.contoso.com", "my_host.contoso.com")]
    [InlineData("a-b.contoso.com", "a-b.contoso.com")]
    [InlineData("123.example", "123.example")]
    public void TryNormalize_accepts_domain_names(string input, string expected)
    {
        string? normalized = DomainName.TryNormalize(input, out string? error);

        Assert.Equal(expected, normalized);
        Assert.Null(error);
    }

    [Fact]
    public void TryNormalize_accepts_a_63_character_label()
    {
        string label = new string('a', 63);

        string? normalized = DomainName.TryNormalize(label + ".com", out string? error);

        Assert.Equal(label + ".com", normalized);
        Assert.Null(error);
    }

    [Fact]
    public void TryNormalize_accepts_a_253_character_name()
    {
        // 3 labels of 63 characters, 1 of 61, and 3 dots: 253 characters.
        string name = string.Join(".", new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 61));
        Assert.Equal(253, name.Length);

        string? normalized = DomainName.TryNormalize(name, out string? error);

        Assert.Equal(name, normalized);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("not a domain!")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(".")]
    [InlineData("user@")]
    [InlineData("a..b")]
    [InlineData("-a.com")]
    [InlineData("a-.com")]
    [InlineData("localhost")]
    [InlineData("contoso")]
    [InlineData("conto$o.com")]
    public void TryNormalize_rejects_invalid_input_with_a_reason(string input)
    {
        string? normalized = DomainName.TryNormalize(input, out string? error);

        Assert.Null(normalized);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("not a domain!", "it contains a space")]
    [InlineData("conto$o.com", "the character '$'")]
    [InlineData("a..b", "empty label")]
    [InlineData(".contoso.com", "empty label")]
    [InlineData("contoso.com..", "empty label")]
    [InlineData("-a.com", "hyphen")]
    [InlineData("a-.com", "hyphen")]
    [InlineData("1.2.3.4", "IP address")]
    [InlineData("contoso", "no dot")]
    [InlineData("xn--zz.com", "punycode does not decode")]
    [InlineData("a.XN--ZZ", "punycode does not decode")]
    public void TryNormalize_names_the_first_problem_a_person_would_fix(string input, string reason)
    {
        DomainName.TryNormalize(input, out string? error);

        Assert.NotNull(error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void TryNormalize_names_a_label_longer_than_63_characters()
    {
        DomainName.TryNormalize(new string('a', 64) + ".com", out string? error);

        Assert.Contains("longer than 63 characters", error);
    }

    [Fact]
    public void TryNormalize_rejects_null()
    {
        string? normalized = DomainName.TryNormalize(null, out string? error);

        Assert.Null(normalized);
        Assert.Equal("it is empty", error);
    }

    [Fact]
    public void TryNormalize_rejects_an_empty_input_as_empty()
    {
        DomainName.TryNormalize("   ", out string? error);

        Assert.Equal("it is empty", error);
    }

    [Fact]
    public void TryNormalize_rejects_a_name_without_dot_and_says_so()
    {
        DomainName.TryNormalize("localhost", out string? error);

        Assert.NotNull(error);
        Assert.Contains("no dot", error);
    }

    [Theory]
    [InlineData("exch01", "exch01")]
    [InlineData("EX4.Mail.OVH.net.", "ex4.mail.ovh.net")]
    public void TryNormalizeServer_takes_a_single_label_that_the_system_resolver_completes_with_its_search_domains(string input, string expected)
    {
        Assert.Equal(expected, DomainName.TryNormalizeServer(input, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("a b", "space")]
    [InlineData("a/b", "not allowed")]
    [InlineData("1.2.3", "IP address")]
    public void TryNormalizeServer_still_rejects_what_is_not_a_host_name(string input, string reason)
    {
        Assert.Null(DomainName.TryNormalizeServer(input, out string? error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData(254)]
    [InlineData(300)]
    public void TryNormalize_rejects_a_name_longer_than_253_characters(int length)
    {
        string name = BuildName(length);
        Assert.Equal(length, name.Length);

        string? normalized = DomainName.TryNormalize(name, out string? error);

        Assert.Null(normalized);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryNormalize_rejects_a_64_character_label()
    {
        string? normalized = DomainName.TryNormalize(new string('a', 64) + ".com", out string? error);

        Assert.Null(normalized);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData("Contoso.COM", "contoso.com")]
    [InlineData("contoso.com.", "contoso.com")]
    [InlineData("MX0.Mail.OVH.net.", "mx0.mail.ovh.net")]
    [InlineData(".", ".")]
    public void AreEqual_ignores_case_and_trailing_dot(string left, string right)
    {
        Assert.True(DomainName.AreEqual(left, right));
        Assert.True(DomainName.AreEqual(right, left));
    }

    [Theory]
    [InlineData("contoso.com", "contoso.net")]
    [InlineData("mail.contoso.com", "contoso.com")]
    [InlineData("contoso.com", "")]
    [InlineData(".", "contoso.com")]
    public void AreEqual_distinguishes_different_names(string left, string right)
    {
        Assert.False(DomainName.AreEqual(left, right));
    }

    [Fact]
    public void AreEqual_treats_null_as_empty()
    {
        Assert.True(DomainName.AreEqual(null, null));
        Assert.True(DomainName.AreEqual(null, string.Empty));
        Assert.False(DomainName.AreEqual(null, "contoso.com"));
    }

    [Theory]
    [InlineData("Contoso.COM.", "contoso.com")]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData(" mx1.contoso.com. ", "mx1.contoso.com")]
    [InlineData(".", ".")]
    [InlineData(" . ", ".")]
    [InlineData("", "")]
    public void Canonical_lowers_case_and_drops_the_trailing_dot_but_keeps_the_root(string input, string expected)
    {
        Assert.Equal(expected, DomainName.Canonical(input));
    }

    [Fact]
    public void Canonical_of_null_is_empty()
    {
        Assert.Equal(string.Empty, DomainName.Canonical(null));
    }

    private static string BuildName(int length)
    {
        // Labels of 50 characters separated by dots, then ".com".
        char[] chars = new char[length - 4];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = i % 51 == 50 ? '.' : 'a';
        }

        chars[chars.Length - 1] = 'a';
        return new string(chars) + ".com";
    }

    [Theory]
    [InlineData("ex4.mail.ovh.net.", true)]
    [InlineData("mx0.mail.ovh.net", true)]
    [InlineData(".", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("a/b?c#d e@x.example", false)]
    [InlineData("evil.example\\000", false)]
    [InlineData("two..dots.example", false)]
    [InlineData("xn--zz.example", false)]
    [InlineData("", false)]
    public void OnlyHostNamesAreTargetsToConnectTo(string target, bool isHost)
    {
        Assert.Equal(isHost, DomainName.IsHostTarget(target));
    }

    [Fact]
    public void ALabelOver63CharactersIsNoHostTarget()
    {
        Assert.False(DomainName.IsHostTarget(new string('a', 64) + ".example"));
    }
}
