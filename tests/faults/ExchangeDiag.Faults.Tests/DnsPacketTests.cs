using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>DNS answers no honest server sends: each is a result that says "malformed answer", never an exception.</summary>
public class DnsPacketTests
{
    public static TheoryData<string, Func<byte[], byte[]>> Malformed() => new TheoryData<string, Func<byte[], byte[]>>
    {
        {
            "another transaction id",
            query =>
            {
                byte[] reply = FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query));
                reply[1] ^= 0x5A;
                return reply;
            }
        },
        {
            "garbage after a valid header",
            query =>
            {
                byte[] reply = new byte[300];
                new Random(7).NextBytes(reply);
                reply[0] = query[0];
                reply[1] = query[1];
                reply[2] = 0x81;
                reply[3] = 0x80;
                return reply;
            }
        },
        { "a header cut short", query => new[] { query[0], query[1], (byte)0x81, (byte)0x80, (byte)0 } },
        { "an answer to another question", query => FakeDnsServer.MxReply(query, "other.example") },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AMalformedAnswerIsAnErrorResultThatSaysSo(string fault, Func<byte[], byte[]> reply)
    {
        await using var server = new FakeDnsServer(reply);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), log.Enqueue, CancellationToken.None);

        MxCheckResult result = await MxCheck.RunAsync("post.lab.test", MxExpectation.Create(null, null, null), dns, TimeSpan.FromSeconds(4), CancellationToken.None);

        string texts = string.Join("\n", new[] { result.Message }.Concat(result.Steps.Select(s => s.ToString())));
        Assert.True(result.Status == CheckStatus.Error, $"{fault}: {result}");
        // A resolver never passes such a packet on: the server asked, or the path to it, is broken.
        Assert.Equal(DiagnosticCause.LocalDnsFailure, result.Cause);
        Assert.True(texts.Contains("malformed answer"), texts + "\n" + string.Join("\n", log));
        Assert.DoesNotContain("has no MX", result.Message);
        Assert.False(Regex.IsMatch(texts, "[A-Za-z0-9+/]{40,}"), $"{fault}: a buffer dump in {texts}");
    }

    [Theory]
    [InlineData("a/b?c#d e@x.example")]
    [InlineData("mx\u0000\u0007\u00ff.example")]
    [InlineData("mx.xn--zz.example")]
    public async Task AnMxTargetThatIsNotAHostNameIsTheDomainsInvalidRecord(string target)
    {
        // Resolvers pass such labels on as the zone holds them: the record is wrong, and no host may be built from it.
        await using var server = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), target));
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        MxCheckResult result = await MxCheck.RunAsync("post.lab.test", MxExpectation.Create(null, null, null), dns, TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.True(result.Status == CheckStatus.Failed, result.ToString());
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Contains("not a host name", result.Message);
        Assert.Empty(result.Records);
        Assert.DoesNotContain('\0', result.Message + string.Join("\n", result.Steps));
    }

    [Fact]
    public async Task OneUnusableMxTargetAmongGoodOnesIsAWarningAndIsLeftOut()
    {
        // mail.lab.test (good) and a/b?c (not a host): senders skip the bad one, so mail still flows.
        await using var server = new FakeDnsServer(query => FakeDnsServer.QuestionType(query) == 15
            ? FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mail.lab.test", "a/b?c.example")
            : FakeDnsServer.AddressReply(query, IPAddress.Parse("192.0.2.25")));
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

        MxCheckResult result = await MxCheck.RunAsync("post.lab.test", MxExpectation.Create(null, null, null), dns, TimeSpan.FromSeconds(4), CancellationToken.None);

        Assert.True(result.Status == CheckStatus.Warning, result.ToString());
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.Equal(new[] { "mail.lab.test" }, result.Records.Select(r => r.Exchange));
        Assert.Contains("a/b?c.example", result.Message);
    }

    [Fact]
    public async Task AnEndlessCnameChainSaysSoRatherThanNoAddress()
    {
        // h0 -> h1 -> h2 -> ... for ever: each hop is one query, and the chain is cut after 8.
        await using var server = new FakeDnsServer(query =>
        {
            string name = FakeDnsServer.QuestionName(query);
            int hop = int.Parse(name.Substring(1, name.IndexOf('.') - 1), System.Globalization.CultureInfo.InvariantCulture);
            return FakeDnsServer.CnameReply(query, $"h{hop + 1}.lab.test");
        });
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(4), _ => { }, CancellationToken.None);

        HostResolution resolution = await dns.ResolveHostAsync("h0.lab.test", CancellationToken.None);

        // Known, not unknown: the domain's own records make the name unusable (a loop, or a chain too long).
        Assert.False(resolution.Resolves);
        Assert.False(resolution.IsUnknown, resolution.Detail);
        Assert.Equal(DnsOutcome.InvalidRecord, resolution.Outcome);
        Assert.Contains("CNAME chain longer than 8 hops", resolution.Detail);
        Assert.True(server.Queries <= 2 * 9, $"{server.Queries} queries");
    }
}
