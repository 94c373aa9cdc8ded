using System;
using System.Net;
using System.Net.Http;
using ExchangeDiag.Checks;
using Xunit;

namespace ExchangeDiag.Tests;

public class OwaLoginClassifyTests
{
    private static readonly Uri Destination = new Uri("https://ex4.mail.ovh.net/owa/");

    [Fact]
    public void A_redirect_to_OWA_with_a_cadata_value_is_success()
    {
        using HttpResponseMessage response = Redirect("https://ex4.mail.ovh.net/owa/", "cadata=abc123; HttpOnly; Secure; path=/");

        Assert.Equal(OwaLoginOutcome.Success, OwaLoginCheck.Classify(response, Destination, out string evidence));
        Assert.DoesNotContain("abc123", evidence);
    }

    [Fact]
    public void The_deleting_cadata_cookie_of_a_failed_login_is_not_success()
    {
        using HttpResponseMessage response = Redirect("https://ex4.mail.ovh.net/owa/", "cadata=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/");

        Assert.NotEqual(OwaLoginOutcome.Success, OwaLoginCheck.Classify(response, Destination, out _));
    }

    [Theory]
    [InlineData("/owa/auth/logon.aspx?url=https%3a%2f%2fex4.mail.ovh.net%2fowa%2f&reason=2", OwaLoginOutcome.InvalidCredentials)]
    [InlineData("/owa/auth/logon.aspx?reason=2&url=x", OwaLoginOutcome.InvalidCredentials)]
    [InlineData("/owa/auth/logon.aspx?url=x&reason=5", OwaLoginOutcome.BlockedByAccessRule)]
    [InlineData("/owa/auth/logon.aspx?url=x&reason=6", OwaLoginOutcome.BlockedByAccessRule)]
    [InlineData("/owa/auth/logon.aspx?url=x&reason=3", OwaLoginOutcome.ServerError)]
    [InlineData("/owa/auth/expiredpassword.aspx?url=x", OwaLoginOutcome.PasswordExpired)]
    [InlineData("https://elsewhere.example/login", OwaLoginOutcome.NotExchange)]
    public void Redirects_are_classified(string location, OwaLoginOutcome expected)
    {
        using HttpResponseMessage response = Redirect(location);

        Assert.Equal(expected, OwaLoginCheck.Classify(response, Destination, out _));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, false, OwaLoginOutcome.NotExchange)]
    [InlineData(HttpStatusCode.NotFound, false, OwaLoginOutcome.NotExchange)]
    [InlineData(HttpStatusCode.InternalServerError, true, OwaLoginOutcome.ServerError)]
    [InlineData((HttpStatusCode)440, true, OwaLoginOutcome.ServerError)]
    public void Other_answers_are_classified(HttpStatusCode status, bool owaHeaders, OwaLoginOutcome expected)
    {
        using var response = new HttpResponseMessage(status) { RequestMessage = new HttpRequestMessage(HttpMethod.Post, new Uri(Destination, "auth.owa")) };
        if (owaHeaders)
        {
            response.Headers.Add("X-OWA-Version", "15.1.2507.6");
        }

        Assert.Equal(expected, OwaLoginCheck.Classify(response, Destination, out _));
    }

    private static HttpResponseMessage Redirect(string location, params string[] cookies)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Found)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Post, new Uri(Destination, "auth.owa")),
        };
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        response.Headers.Add("X-OWA-Version", "15.1.2507.6");
        foreach (string cookie in cookies)
        {
            response.Headers.Add("Set-Cookie", cookie);
        }

        return response;
    }
}
