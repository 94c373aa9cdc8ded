using ExchangeDiag.Checks;
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

    [Fact]
    public void Microsoft365ProfileGivesItsEndpoints()
    {
        ExchangeEndpoints? endpoints = ProviderProfile.For(MailProvider.Microsoft365).Endpoints;

        Assert.NotNull(endpoints);
        Assert.Equal("https://outlook.office365.com/EWS/Exchange.asmx", endpoints!.Ews.ToString());
        Assert.Equal(("outlook.office365.com", 993, MailSecurity.SslOnConnect), (endpoints.ImapHost, endpoints.ImapPort, endpoints.ImapSecurity));
        Assert.Equal(("smtp.office365.com", 587, MailSecurity.StartTls), (endpoints.SmtpHost, endpoints.SmtpPort, endpoints.SmtpSecurity));
        Assert.Null(ProviderProfile.For(MailProvider.OvhEurope).Endpoints);
        Assert.False(ProviderProfile.For(MailProvider.Microsoft365).HasOvhApi);
        Assert.True(ProviderProfile.For(MailProvider.OvhCanada).HasOvhApi);
    }
}
