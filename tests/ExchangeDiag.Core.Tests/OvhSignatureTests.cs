using System.Collections.Generic;
using ExchangeDiag.Ovh;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>
/// The signature against vectors computed outside .NET from the formula in PROTOCOL-NOTES 1, e.g.
/// printf '%s' 'AS+CK+GET+https://eu.api.ovh.com/1.0/email/exchange++1732780800' | sha1sum
/// </summary>
public class OvhSignatureTests
{
    private const string Secret = "EgWIz07P0HYwtQDs7cNIgzLaHKM2Bk0E";
    private const string Consumer = "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1";

    [Theory]
    [InlineData("GET", "https://eu.api.ovh.com/1.0/email/exchange", "", 1732780800L, "$1$de6deffb8384ea459bc7fd8ccb07faf8d97e01f1")]
    [InlineData("GET", "https://eu.api.ovh.com/1.0/email/exchange/hosted-ab12345-1/service/hosted-ab12345-1/account?primaryEmailAddress=jane%40contoso.com", "", 1732780800L, "$1$3e08b3d0f64d4cc4521b5249008d5292282a48a4")]
    [InlineData("POST", "https://eu.api.ovh.com/1.0/email/exchange/hosted-ab12345-1/service/hosted-ab12345-1/account/jane@contoso.com/diagnostics", "{\"password\":\"Pâss+wörd \\\"1\\\"\"}", 1732780801L, "$1$2f06d3a037464e25c0d13473dc2857d0b5aa36f3")]
    public void MatchesVectorsComputedFromTheFormula(string method, string url, string body, long timestamp, string expected)
        => Assert.Equal(expected, OvhSignature.Compute(Secret, Consumer, method, url, body, timestamp));

    [Fact]
    public void UppercasesTheMethod()
        => Assert.Equal("$1$de6deffb8384ea459bc7fd8ccb07faf8d97e01f1", OvhSignature.Compute(Secret, Consumer, "get", "https://eu.api.ovh.com/1.0/email/exchange", "", 1732780800));

    [Fact]
    public void SignsTheTicketBodyExactlyAsWritten()
    {
        string body = OvhJson.Write(new Dictionary<string, string?>
        {
            ["subject"] = "Mailbox cannot send",
            ["body"] = "## Report\nline two",
            ["product"] = "exchange",
            ["category"] = "incident",
            ["impact"] = null,
        });

        Assert.Equal("{\"subject\":\"Mailbox cannot send\",\"body\":\"## Report\\nline two\",\"product\":\"exchange\",\"category\":\"incident\"}", body);
        Assert.Equal("$1$6db8cae765524592d41a77d31fc9440c901d6303", OvhSignature.Compute(Secret, Consumer, "POST", "https://ca.api.ovh.com/1.0/support/tickets/create", body, 1732780802));
    }

    [Fact]
    public void EscapesWhatJsonRequires()
        => Assert.Equal("{\"p\":\"a\\\"b\\\\c\\td\\u0001é\"}", OvhJson.Write(new Dictionary<string, string?> { ["p"] = "a\"b\\c\td\u0001é" }));

    [Fact]
    public void ReadsTheAnswersFields()
    {
        var account = new OvhExchangeAccount(OvhJson.Parse("{\"spamDetected\":true,\"spamTicketNumber\":1234567,\"state\":\"ok\",\"expirationDate\":\"2026-05-01T10:00:00+02:00\",\"renewPeriod\":null}"));
        Assert.True(account.SpamDetected);
        Assert.Equal(1234567, account.SpamTicketNumber);
        Assert.Equal("ok", account.State);
        Assert.Equal(new System.DateTimeOffset(2026, 5, 1, 8, 0, 0, System.TimeSpan.Zero), account.ExpirationDate);

        var empty = new OvhExchangeAccount(OvhJson.Parse("{\"spamDetected\":false,\"spamTicketNumber\":null}"));
        Assert.False(empty.SpamDetected);
        Assert.Null(empty.SpamTicketNumber);
        Assert.Null(empty.State);
        Assert.Equal(new[] { "a@b.c", "d@e.f" }, OvhJson.Parse("[\"a@b.c\",\"d@e.f\"]").Strings());
    }

    [Theory]
    [InlineData("ovh-eu", "https://eu.api.ovh.com/1.0")]
    [InlineData("OVH-CA", "https://ca.api.ovh.com/1.0")]
    [InlineData("ovh-us", "https://api.us.ovhcloud.com/1.0")]
    [InlineData("https://127.0.0.120/1.0/", "https://127.0.0.120/1.0")]
    public void ResolvesEndpoints(string endpoint, string expected)
        => Assert.Equal(expected, OvhEndpoints.Resolve(endpoint, out _)!.AbsoluteUri.TrimEnd('/'));

    [Theory]
    [InlineData("ovh-xx")]
    [InlineData("http://eu.api.ovh.com/1.0")]
    public void RefusesOtherEndpoints(string endpoint)
    {
        Assert.Null(OvhEndpoints.Resolve(endpoint, out string? error));
        Assert.Contains(endpoint, error);
    }
}
