using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>The blocklist check's domain mode over a fake DNS server: MX and sending addresses, bounds.</summary>
public class BlocklistDnsTests
{
    private static readonly string[] Zone = { "dnsbl.example" };

    /// <summary>
    /// blocklist.example has one MX host, mx.blocklist.example at 203.0.113.5. dnsbl.example lists
    /// its test entry 127.0.0.2 (RFC 5782 §5), 203.0.113.5 (127.0.0.2) and 203.0.113.9 (127.0.0.4);
    /// every other name there has no record. pbl.example's MX host, 203.0.113.10, is on a stand-in
    /// of zen.spamhaus.org (this fake server only) as a PBL address (127.0.0.10).
    /// </summary>
    private static byte[] Reply(byte[] query)
    {
        string name = FakeDnsServer.QuestionName(query);
        return name switch
        {
            "blocklist.example" when FakeDnsServer.QuestionType(query) == 15 => FakeDnsServer.MxReply(query, name, "mx.blocklist.example"),
            "pbl.example" when FakeDnsServer.QuestionType(query) == 15 => FakeDnsServer.MxReply(query, name, "mx.pbl.example"),
            "mx.blocklist.example" => FakeDnsServer.AddressReply(query, IPAddress.Parse("203.0.113.5")),
            "mx.pbl.example" => FakeDnsServer.AddressReply(query, IPAddress.Parse("203.0.113.10")),
            "2.0.0.127.dnsbl.example" or "2.0.0.127.zen.spamhaus.org" => FakeDnsServer.AddressReply(query, IPAddress.Parse("127.0.0.2")),
            "5.113.0.203.dnsbl.example" => FakeDnsServer.AddressReply(query, IPAddress.Parse("127.0.0.2")),
            "9.113.0.203.dnsbl.example" => FakeDnsServer.AddressReply(query, IPAddress.Parse("127.0.0.4")),
            "10.113.0.203.zen.spamhaus.org" => FakeDnsServer.AddressReply(query, IPAddress.Parse("127.0.0.10")),
            _ => NoRecord(query),
        };
    }

    private static byte[] NameError(byte[] query)
    {
        byte[] reply = FakeDnsServer.ServerFailure(query);
        reply[3] = 0x83; // NXDOMAIN
        return reply;
    }

    private static byte[] NoRecord(byte[] query)
    {
        byte[] reply = FakeDnsServer.ServerFailure(query);
        reply[3] = 0x80; // NOERROR, no answer
        return reply;
    }

    [Fact]
    public async Task SendingAddressesAreAskedAboutBesideTheMxAddressesAndRangesAreLeftOut()
    {
        await using var server = new FakeDnsServer(Reply);
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        BlocklistCheckResult result = await BlocklistCheck.RunForDomainAsync(
            "blocklist.example", Zone, new[] { "203.0.113.9", "198.51.100.0/24", "203.0.113.5/32", "not an address\u001b" }, dns, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, result.Cause);
        Assert.Equal(new[] { "203.0.113.5", "203.0.113.9" }, result.Addresses);
        Assert.Equal(new[] { "203.0.113.5", "203.0.113.9" }, result.Listings.Select(l => l.Address));
        Assert.Contains("(MX host mx.blocklist.example)", result.Message);
        CheckStep skipped = Assert.Single(result.Steps, s => s.Name == "Sending addresses");
        Assert.Contains("198.51.100.0/24", skipped.Detail);
        Assert.Contains("not an address\\x1B", skipped.Detail);
    }

    [Fact]
    public async Task AtMost32AddressesAreAskedAboutAndThePassSaysHowManyWereLeftOut()
    {
        await using var server = new FakeDnsServer(Reply);
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);
        string[] outbound = Enumerable.Range(100, 40).Select(n => $"203.0.113.{n}").ToArray();

        BlocklistCheckResult result = await BlocklistCheck.RunForDomainAsync("blocklist.example", Zone, outbound, dns, TimeSpan.FromSeconds(8), CancellationToken.None);

        Assert.Equal(BlocklistCheck.MaxAddresses, result.Addresses.Count);
        Assert.Equal("203.0.113.5", result.Addresses[0]);
        Assert.Contains(result.Steps, s => s.Name == "Addresses" && s.Status == CheckStatus.Warning && s.Detail.Contains("left out"));
        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Single(result.Listings);
    }

    [Fact]
    public async Task AZoneThatFailsEveryQuestionLeavesTheListingUnknownAWarningNotAnErrorOfTheDomainsDns()
    {
        await using var server = new FakeDnsServer(query => FakeDnsServer.QuestionName(query).EndsWith(".dnsbl.example", StringComparison.Ordinal) ? FakeDnsServer.ServerFailure(query) : Reply(query));
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        BlocklistCheckResult result = await BlocklistCheck.RunForDomainAsync("blocklist.example", Zone, null, dns, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Empty(result.Listings);
        Assert.Contains("dnsbl.example: SERVFAIL", result.Message);
        Assert.Contains("-DnsServer", result.Message);
    }

    [Fact]
    public async Task AResolverThatAnswersNxdomainForEveryBlocklistNameGivesNoNotListedButCouldNotAsk()
    {
        await using var server = new FakeDnsServer(query => FakeDnsServer.QuestionName(query).EndsWith(".dnsbl.example", StringComparison.Ordinal) ? NameError(query) : Reply(query));
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        BlocklistCheckResult result = await BlocklistCheck.RunForDomainAsync("blocklist.example", Zone, null, dns, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Empty(result.Listings);
        Assert.NotEqual("not listed", result.Observed);
        Assert.Contains("dnsbl.example: test entry 127.0.0.2 not listed (NXDOMAIN)", result.Message);
        CheckStep test = Assert.Single(result.Steps, s => s.Name == "dnsbl.example test entry");
        Assert.Equal(CheckStatus.Warning, test.Status);
        Assert.Equal(CheckStatus.Warning, Assert.Single(result.Steps, s => s.Name == "dnsbl.example 203.0.113.5").Status);
    }

    [Fact]
    public async Task TheTestEntryIsAskedOncePerZoneForEveryInputOfOneInvocation()
    {
        int asked = 0;
        await using var server = new FakeDnsServer(query =>
        {
            if (FakeDnsServer.QuestionName(query) == "2.0.0.127.dnsbl.example")
            {
                Interlocked.Increment(ref asked);
            }

            return Reply(query);
        });
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        BlocklistCheckResult first = await BlocklistCheck.RunForDomainAsync("blocklist.example", Zone, new[] { "203.0.113.20", "203.0.113.21" }, dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        BlocklistCheckResult second = await BlocklistCheck.RunForAddressAsync("203.0.113.22", Zone, dns, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(1, asked);
        Assert.Equal(CheckStatus.Passed, second.Status);
        Assert.Contains(first.Steps, s => s.Name == "dnsbl.example test entry" && s.Status == CheckStatus.Passed);
    }

    [Fact]
    public async Task APblListingOfAnMxHostAloneIsAWarningAndStaysFailedWhenTheDomainSendsFromIt()
    {
        await using var server = new FakeDnsServer(Reply);
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);
        string[] zen = { "zen.spamhaus.org" };

        BlocklistCheckResult receiving = await BlocklistCheck.RunForDomainAsync("pbl.example", zen, null, dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(CheckStatus.Warning, receiving.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, receiving.Cause);
        Assert.Equal("203.0.113.10", Assert.Single(receiving.Listings).Address);

        BlocklistCheckResult sending = await BlocklistCheck.RunForDomainAsync("pbl.example", zen, new[] { "203.0.113.10" }, dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(CheckStatus.Failed, sending.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, sending.Cause);
        Assert.Equal(new[] { "203.0.113.10" }, sending.Addresses);

        // v=spf1 mx -all: the MX host is the domain's sender, and receivers that use zen refuse its mail.
        BlocklistCheckResult mxSends = await BlocklistCheck.RunForDomainAsync("pbl.example", zen, null, dns, TimeSpan.FromSeconds(5), CancellationToken.None, mxHostsSend: true);
        Assert.Equal(CheckStatus.Failed, mxSends.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, mxSends.Cause);

        BlocklistCheckResult given = await BlocklistCheck.RunForAddressAsync("203.0.113.10", zen, dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(CheckStatus.Failed, given.Status);
    }
}
