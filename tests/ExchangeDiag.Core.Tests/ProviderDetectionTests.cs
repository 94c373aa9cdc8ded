using ExchangeDiag.Diagnosis;
using Xunit;

namespace ExchangeDiag.Tests;

public class ProviderDetectionTests
{
    [Theory]
    [InlineData("mx1.mail.ovh.net.", MailProvider.OvhEurope)]
    [InlineData("EX4.MAIL.OVH.NET", MailProvider.OvhEurope)]
    [InlineData("ex2.mail.ovh.ca", MailProvider.OvhCanada)]
    [InlineData("contoso-com.mail.protection.outlook.com.", MailProvider.Microsoft365)]
    [InlineData("CONTOSO-COM.MAIL.PROTECTION.OUTLOOK.COM", MailProvider.Microsoft365)]
    [InlineData("contoso-com.o-v1.mx.microsoft", MailProvider.Microsoft365)]
    [InlineData("autodiscover.outlook.com.", MailProvider.Microsoft365)]
    public void KnowsTheProviderFromItsHostNames(string host, MailProvider provider)
        => Assert.Equal(provider, ProviderDetection.Detect(new[] { "mail.contoso.com", host }));

    [Fact]
    public void KnowsNoProviderFromOtherHostNames()
        => Assert.Null(ProviderDetection.Detect(new[] { "mail.contoso.com", null, "mail.ovh.net.evil.example", "mail.protection.outlook.com.evil.example", "outlook.com", "mx.microsoft.evil.example", "autodiscover.outlook.com.evil.example" }));

    [Fact]
    public void FindsTheExchangeServerTheRecordsName()
    {
        // "Exchange + POP/IMAP elsewhere": the MX is the Exchange server itself, which is then valid.
        Assert.Equal("ex4.mail.ovh.net", ProviderDetection.ExchangeServerIn(new[] { "mx0.mail.ovh.net.", "ex4.mail.ovh.net." }, MailProvider.OvhEurope));
        Assert.Null(ProviderDetection.ExchangeServerIn(new[] { "mx0.mail.ovh.net." }, MailProvider.OvhEurope));
        Assert.Null(ProviderDetection.ExchangeServerIn(new[] { "ex4.mail.ovh.net" }, MailProvider.OvhCanada));
    }

    [Fact]
    public void Microsoft365HasNoExchangeServerForm()
        => Assert.Null(ProviderDetection.ExchangeServerIn(new[] { "contoso-com.mail.protection.outlook.com", "ex4.mail.ovh.net" }, MailProvider.Microsoft365));
}
