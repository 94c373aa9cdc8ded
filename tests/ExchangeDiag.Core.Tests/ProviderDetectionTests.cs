using ExchangeDiag.Diagnosis;
using Xunit;

namespace ExchangeDiag.Tests;

public class ProviderDetectionTests
{
    [Theory]
    [InlineData("mx1.mail.ovh.net.", MailProvider.OvhEurope)]
    [InlineData("EX4.MAIL.OVH.NET", MailProvider.OvhEurope)]
    [InlineData("ex2.mail.ovh.ca", MailProvider.OvhCanada)]
    public void KnowsTheProviderFromItsHostNames(string host, MailProvider provider)
        => Assert.Equal(provider, ProviderDetection.Detect(new[] { "mail.contoso.com", host }));

    [Fact]
    public void KnowsNoProviderFromOtherHostNames()
        => Assert.Null(ProviderDetection.Detect(new[] { "mail.contoso.com", null, "mail.ovh.net.evil.example" }));

    [Fact]
    public void FindsTheExchangeServerTheRecordsName()
    {
        // "Exchange + POP/IMAP elsewhere": the MX is the Exchange server itself, which is then valid.
        Assert.Equal("ex4.mail.ovh.net", ProviderDetection.ExchangeServerIn(new[] { "mx0.mail.ovh.net.", "ex4.mail.ovh.net." }, MailProvider.OvhEurope));
        Assert.Null(ProviderDetection.ExchangeServerIn(new[] { "mx0.mail.ovh.net." }, MailProvider.OvhEurope));
        Assert.Null(ProviderDetection.ExchangeServerIn(new[] { "ex4.mail.ovh.net" }, MailProvider.OvhCanada));
    }
}
