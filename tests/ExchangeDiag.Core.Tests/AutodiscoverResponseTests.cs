using ExchangeDiag.Checks;
using Xunit;

namespace ExchangeDiag.Tests;

public class AutodiscoverResponseTests
{
    private const string Outlook = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private const string Root = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";

    [Fact]
    public void Settings_take_EWS_from_EXPR_first_then_EXCH()
    {
        string xml = $"<Autodiscover xmlns=\"{Root}\"><Response xmlns=\"{Outlook}\"><User><DisplayName>Jo</DisplayName></User><Account><Action>settings</Action>"
            + "<Protocol><Type>EXCH</Type><Server>ex4.mail.ovh.net</Server><EwsUrl>https://internal/EWS/Exchange.asmx</EwsUrl></Protocol>"
            + "<Protocol><Type>EXPR</Type><Server>ex4.mail.ovh.net</Server><EwsUrl>https://ex4.mail.ovh.net/EWS/Exchange.asmx</EwsUrl></Protocol>"
            + "<Protocol><Type>WEB</Type><External><OWAUrl AuthenticationMethod=\"Fba\">https://ex4.mail.ovh.net/owa/</OWAUrl></External></Protocol>"
            + "</Account></Response></Autodiscover>";

        AutodiscoverResponse response = AutodiscoverResponse.Parse(xml);

        Assert.Equal(AutodiscoverAnswer.Settings, response.Answer);
        Assert.Equal("https://ex4.mail.ovh.net/EWS/Exchange.asmx", response.EwsUrl);
        Assert.Equal("https://ex4.mail.ovh.net/owa/", response.OwaUrl);
        Assert.Equal("ex4.mail.ovh.net", response.Server);
        Assert.Equal("Jo", response.DisplayName);
    }

    [Fact]
    public void A_redirectAddr_is_read()
    {
        AutodiscoverResponse response = AutodiscoverResponse.Parse(Account("<Action>redirectAddr</Action><RedirectAddr>a@b.example</RedirectAddr>"));

        Assert.Equal(AutodiscoverAnswer.RedirectAddr, response.Answer);
        Assert.Equal("a@b.example", response.RedirectAddr);
    }

    [Fact]
    public void A_redirectUrl_is_read()
    {
        AutodiscoverResponse response = AutodiscoverResponse.Parse(Account("<Action>redirectUrl</Action><RedirectUrl>https://x.example/autodiscover/autodiscover.xml</RedirectUrl>"));

        Assert.Equal(AutodiscoverAnswer.RedirectUrl, response.Answer);
        Assert.Equal("https://x.example/autodiscover/autodiscover.xml", response.RedirectUrl);
    }

    private static string Account(string content)
        => $"<Autodiscover xmlns=\"{Root}\"><Response xmlns=\"{Outlook}\"><Account>{content}</Account></Response></Autodiscover>";

    [Theory]
    [InlineData(500, "not known to this server")]
    [InlineData(501, "knows the address but has no settings for it")]
    [InlineData(600, "request invalid")]
    [InlineData(601, "response schema")]
    [InlineData(602, "configuration is broken")]
    [InlineData(603, "internal error")]
    public void Error_codes_get_clear_messages(int code, string words)
    {
        string xml = $"<Autodiscover xmlns=\"{Root}\"><Response><Error Time=\"1\" Id=\"2\"><ErrorCode>{code}</ErrorCode><Message>m</Message></Error></Response></Autodiscover>";

        AutodiscoverResponse response = AutodiscoverResponse.Parse(xml);

        Assert.Equal(AutodiscoverAnswer.Error, response.Answer);
        Assert.Equal(code, response.ErrorCode);
        Assert.Contains(words, response.Detail);
    }

    [Fact]
    public void A_DTD_is_refused()
    {
        string xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x \"y\">]><Autodiscover><Response/></Autodiscover>";

        AutodiscoverResponse response = AutodiscoverResponse.Parse(xml);

        Assert.Equal(AutodiscoverAnswer.Invalid, response.Answer);
        Assert.Contains("DTD", response.Detail);
    }

    [Fact]
    public void An_external_entity_is_never_resolved()
    {
        string xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + $"<Autodiscover xmlns=\"{Root}\"><Response xmlns=\"{Outlook}\"><Account><Action>redirectAddr</Action><RedirectAddr>&xxe;</RedirectAddr></Account></Response></Autodiscover>";

        AutodiscoverResponse response = AutodiscoverResponse.Parse(xml);

        Assert.Equal(AutodiscoverAnswer.Invalid, response.Answer);
        Assert.Null(response.RedirectAddr);
    }

    [Theory]
    [InlineData("<html><body>It works</body></html>")]
    [InlineData("not xml at all")]
    [InlineData("<Autodiscover><Response><Account><Action>dance</Action></Account></Response></Autodiscover>")]
    public void Anything_else_is_invalid(string body)
    {
        Assert.Equal(AutodiscoverAnswer.Invalid, AutodiscoverResponse.Parse(body).Answer);
    }

    [Fact]
    public void Error_501_says_the_address_is_known_without_settings_in_both_languages()
    {
        Assert.Contains("has no settings for it", AutodiscoverCheck.ErrorRemediation(501, "user@contoso.com"));
        Assert.Contains("user@contoso.com", AutodiscoverCheck.ErrorRemediation(501, "user@contoso.com"));
        Assert.NotEqual(AutodiscoverCheck.ErrorRemediation(500, "user@contoso.com"), AutodiscoverCheck.ErrorRemediation(501, "user@contoso.com"));
        Assert.Contains("n'a pas de paramètres", Texts.Messages["Autodiscover_NoSettings_Remediation", new System.Globalization.CultureInfo("fr-FR")]);
    }
}
