using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>
/// How questions travel: one socket per server, answers matched by id and question, the next
/// server after a failure, TCP after truncation. What a stub resolver does with a real server.
/// </summary>
public class DnsTransportTests
{
    private static DnsQuerier Querier(ConcurrentQueue<string>? log, params IPEndPoint[] servers)
        => new DnsQuerier(servers.ToList(), TimeSpan.FromSeconds(2), log == null ? _ => { } : log.Enqueue, CancellationToken.None);

    [Fact]
    public async Task DatagramsWithTheQuestionsIdThatAreNoAnswerToItAreWaitedPastAndTheRealAnswerTaken()
    {
        // A packet cut short and one for another question, both with the id, come first: a stub
        // resolver waits on for the answer; these no longer decide the lookup.
        await using var server = new FakeDnsServer(query => new[]
        {
            new[] { query[0], query[1], (byte)0x81 },
            FakeDnsServer.MxReply(query, "other.example"),
            FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test"),
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal("mx1.lab.test.", Assert.Single(lookup.Answers.OfType<MxRecord>()).Exchange.Value);
    }

    [Fact]
    public async Task AnAnswerWithAnotherIdIsNotTakenButTheOneWithTheQuestionsIdIs()
    {
        await using var server = new FakeDnsServer(query =>
        {
            byte[] forged = FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "forged.example");
            forged[1] ^= 0x5A;
            return new[] { forged, FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test") };
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal("mx1.lab.test.", Assert.Single(lookup.Answers.OfType<MxRecord>()).Exchange.Value);
    }

    [Fact]
    public async Task ManyQuestionsInFlightOnOneSocketEachGetTheirOwnAnswerWhateverTheOrderTheyComeIn()
    {
        var random = new Random(13);
        await using var server = new FakeDnsServer(
            query => new[] { FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx." + FakeDnsServer.QuestionName(query)) },
            delay: _ => TimeSpan.FromMilliseconds(1 + random.Next(60)));
        using DnsQuerier dns = Querier(null, server.EndPoint);

        string[] names = Enumerable.Range(1, 200).Select(n => $"d{n}.scale.test").ToArray();
        DnsLookup[] lookups = await Task.WhenAll(names.Select(n => dns.QueryAsync(n, QueryType.MX, CancellationToken.None)));

        for (int i = 0; i < names.Length; i++)
        {
            Assert.Equal(DnsOutcome.Answered, lookups[i].Outcome);
            Assert.Equal($"mx.{names[i]}.", Assert.Single(lookups[i].Answers.OfType<MxRecord>()).Exchange.Value);
        }
    }

    [Fact]
    public async Task ATruncatedAnswerIsAskedAgainOverTcpAndTheTcpAnswerIsTheLookup()
    {
        var log = new ConcurrentQueue<string>();
        await using var server = new FakeDnsServer(
            query => new[] { Truncated(FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "udp.lab.test")) },
            tcpReply: query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test", "mx2.lab.test"));
        using DnsQuerier dns = Querier(log, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal(new[] { "mx1.lab.test.", "mx2.lab.test." }, lookup.Answers.OfType<MxRecord>().Select(r => r.Exchange.Value));
        Assert.Contains(log, line => line.Contains("truncated, asking again over TCP"));
    }

    [Fact]
    public async Task ATruncatedAnswerAndNoTcpServerIsAMalformedLookupThatSaysSo()
    {
        await using var server = new FakeDnsServer(query => Truncated(FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query))));
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Malformed, lookup.Outcome);
        Assert.StartsWith("truncated answer over UDP, and none over TCP", lookup.Code);
    }

    [Fact]
    public async Task TheNextServerIsAskedAfterSERVFAILAndItsAnswerNamesIt()
    {
        await using var failing = new FakeDnsServer(FakeDnsServer.ServerFailure);
        await using var good = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)));
        using DnsQuerier dns = Querier(null, failing.EndPoint, good.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal($"127.0.0.1:{good.EndPoint.Port}", lookup.Server);
    }

    [Fact]
    public async Task NXDOMAINIsTheAnswerNoOtherServerIsAsked()
    {
        await using var first = new FakeDnsServer(query =>
        {
            byte[] reply = FakeDnsServer.ServerFailure(query);
            reply[3] = 0x83; // NXDOMAIN
            return reply;
        });
        await using var second = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)));
        using DnsQuerier dns = Querier(null, first.EndPoint, second.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("gone.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.NameError, lookup.Outcome);
        Assert.Equal(0, second.Queries);
    }

    [Fact]
    public async Task ADeadFirstServerIsPassedAtOnceWhenItsPortIsClosed()
    {
        // Nothing listens there: the ICMP "port unreachable" ends the wait without a timeout.
        IPEndPoint dead;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            dead = (IPEndPoint)probe.LocalEndPoint!;
        }

        await using var good = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)));
        using DnsQuerier dns = Querier(null, dead, good.EndPoint);
        var clock = Stopwatch.StartNew();

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.True(clock.ElapsedMilliseconds < 200, $"{clock.ElapsedMilliseconds} ms: the dead server was waited for");
    }

    [Fact]
    public async Task AServerThatRefusesEdnsIsAskedAgainWithoutIt()
    {
        await using var server = new FakeDnsServer(query =>
        {
            if (!FakeDnsServer.HasEdns(query))
            {
                return FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query));
            }

            byte[] reply = FakeDnsServer.ServerFailure(query);
            reply[3] = 0x81; // FORMERR
            return reply;
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal(2, server.Queries);
    }

    [Theory]
    [InlineData("a name that points at itself", new byte[] { 0xC0, 0xFF })]
    [InlineData("a name that runs past the datagram", new byte[] { 40, (byte)'m', (byte)'x' })]
    public async Task ANameThatDoesNotEndIsAMalformedAnswerNotAHangOrACrash(string fault, byte[] exchange)
    {
        await using var server = new FakeDnsServer(query =>
        {
            byte[] reply = FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "m.example");
            // The exchange name "m.example" (1 m 7 example 0) is the reply's last 11 bytes: replace it.
            byte[] broken = reply.Take(reply.Length - 11).Concat(exchange).ToArray();
            int pointerAt = broken.Length - exchange.Length;
            if (exchange[0] == 0xC0)
            {
                broken[pointerAt + 1] = (byte)pointerAt;
            }

            broken[broken.Length - exchange.Length - 3] = (byte)(2 + exchange.Length); // RDLENGTH
            return broken;
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);

        Assert.True(lookup.Outcome == DnsOutcome.Malformed, $"{fault}: {lookup}");
    }

    [Fact]
    public async Task DisposingTheQuerierClosesItsSocketsAndEndsTheirReaderThreads()
    {
        // A script that runs a cmdlet a thousand times must not keep a thousand threads.
        await using var server = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)));
        IPEndPoint silent = SilentServer(out Socket keepOpen);
        using (keepOpen)
        {
            DnsQuerier dns = Querier(null, silent, server.EndPoint);
            await dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);
            Assert.True(dns.AnyReaderRunning);

            dns.Dispose();

            var clock = Stopwatch.StartNew();
            while (dns.AnyReaderRunning && clock.ElapsedMilliseconds < 5000)
            {
                await Task.Delay(20);
            }

            Assert.False(dns.AnyReaderRunning, "a reader thread outlived Dispose");
            await Assert.ThrowsAsync<ObjectDisposedException>(() => dns.QueryAsync("other.lab.test", QueryType.MX, CancellationToken.None));
        }
    }

    /// <summary>A port where a socket takes every datagram and answers none: a server that is up and silent.</summary>
    private static IPEndPoint SilentServer(out Socket socket)
    {
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private static byte[] Truncated(byte[] reply)
    {
        reply[2] |= 0x02;
        return reply;
    }
}
