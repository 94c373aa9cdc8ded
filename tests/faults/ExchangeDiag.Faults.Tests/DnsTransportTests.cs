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

    /// <summary>One question, within 10 s: a hang fails the test instead of stalling the suite.</summary>
    private static Task<DnsLookup> Ask(DnsQuerier dns, string name, CancellationToken cancellationToken = default)
        => dns.QueryAsync(name, QueryType.MX, cancellationToken).WaitAsync(TimeSpan.FromSeconds(10));

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

        DnsLookup lookup = await Ask(dns, "post.lab.test");

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

        DnsLookup lookup = await Ask(dns, "post.lab.test");

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
        DnsLookup[] lookups = await Task.WhenAll(names.Select(n => Ask(dns, n)));

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
        // 10 s: a cold test run compiles the TCP paths of both ends while other tests run beside it.
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(10), log.Enqueue, CancellationToken.None);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal(new[] { "mx1.lab.test.", "mx2.lab.test." }, lookup.Answers.OfType<MxRecord>().Select(r => r.Exchange.Value));
        Assert.Contains(log, line => line.Contains("truncated, asking again over TCP"));
    }

    [Fact]
    public async Task ATruncatedAnswerAndNoTcpServerIsAMalformedLookupThatSaysSo()
    {
        await using var server = new FakeDnsServer(query => Truncated(FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query))));
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Malformed, lookup.Outcome);
        Assert.StartsWith("truncated answer over UDP, and none over TCP", lookup.Code);
    }

    [Fact]
    public async Task TheNextServerIsAskedAfterSERVFAILAndItsAnswerNamesIt()
    {
        await using var failing = new FakeDnsServer(FakeDnsServer.ServerFailure);
        await using var good = new FakeDnsServer(query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)));
        using DnsQuerier dns = Querier(null, failing.EndPoint, good.EndPoint);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

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

        DnsLookup lookup = await Ask(dns, "gone.lab.test");

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
        // 10 s: an attempt is then 1,125 ms (45% shared by two servers, two attempts each), far above a busy machine's noise.
        using var dns = new DnsQuerier(new List<IPEndPoint> { dead, good.EndPoint }, TimeSpan.FromSeconds(10), _ => { }, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.True(clock.ElapsedMilliseconds < 1000, $"{clock.ElapsedMilliseconds} ms: the dead server was waited for");
    }

    [Fact]
    public async Task AnAnswerWithAnotherIdForTheQuestionIsAMalformedLookupOnceNoRealAnswerCame()
    {
        await using var server = new FakeDnsServer(query =>
        {
            byte[] reply = FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query));
            reply[1] ^= 0x5A;
            return reply;
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Malformed, lookup.Outcome);
        Assert.Equal("malformed answer (another transaction id)", lookup.Code);
        Assert.Equal(2, server.Queries);
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

        DnsLookup lookup = await Ask(dns, "post.lab.test");

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

        DnsLookup lookup = await Ask(dns, "post.lab.test");

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
            await Ask(dns, "post.lab.test");
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

    [Fact]
    public async Task ATruncatedAnswerIsNotReadEvenWhenItsCountsPromiseRecordsItLacks()
    {
        // RFC 2181 §9: a truncated answer's content is ignored; the counts of a cut answer may lie.
        await using var server = new FakeDnsServer(
            query =>
            {
                byte[] cut = Truncated(FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test"));
                cut[7] = 5;
                return new[] { cut };
            },
            tcpReply: query => FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test", "mx2.lab.test"));
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(10), _ => { }, CancellationToken.None);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal(2, lookup.Answers.OfType<MxRecord>().Count());
    }

    [Fact]
    public async Task ATcpServerThatAcceptsAndNeverAnswersEndsByTheDeadlineAsTruncatedWithoutTcp()
    {
        var silentTcp = new TcpListener(IPAddress.Loopback, 0);
        silentTcp.Start();
        try
        {
            int port = ((IPEndPoint)silentTcp.LocalEndpoint).Port;
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            _ = Task.Run(async () =>
            {
                // Answers every UDP question truncated, also when offered 4,096 bytes; accepts TCP and says nothing.
                for (int i = 0; i < 4; i++)
                {
                    UdpReceiveResult query = await udp.ReceiveAsync();
                    byte[] reply = Truncated(FakeDnsServer.MxReply(query.Buffer, FakeDnsServer.QuestionName(query.Buffer)));
                    await udp.SendAsync(reply, reply.Length, query.RemoteEndPoint);
                }
            });
            using DnsQuerier dns = Querier(null, new IPEndPoint(IPAddress.Loopback, port));
            var clock = Stopwatch.StartNew();

            DnsLookup lookup = await Ask(dns, "post.lab.test");

            Assert.Equal(DnsOutcome.Malformed, lookup.Outcome);
            Assert.Equal("truncated answer over UDP, and none over TCP (timeout)", lookup.Code);
            Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms");
        }
        finally
        {
            silentTcp.Stop();
        }
    }

    [Fact]
    public async Task WhenTcpIsClosedAnAnswerThatFitsFourKilobytesIsAskedForOverUdp()
    {
        // A network that filters TCP/53: the answer DnsClient's 4,096-byte offer used to get still comes.
        await using var server = new FakeDnsServer(query => new[]
        {
            query[query.Length - 8] == 0x04 && query[query.Length - 7] == 0xD0
                ? Truncated(FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query)))
                : FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx1.lab.test", "mx2.lab.test"),
        });
        var log = new ConcurrentQueue<string>();
        using DnsQuerier dns = Querier(log, server.EndPoint);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal(2, lookup.Answers.OfType<MxRecord>().Count());
        Assert.Contains(log, line => line.Contains("offering 4096 bytes"));
    }

    [Fact]
    public async Task AForgedDatagramForOneQuestionNeverMakesAnotherQuestionThatTimesOutMalformed()
    {
        await using var server = new FakeDnsServer(query =>
        {
            string name = FakeDnsServer.QuestionName(query);
            if (name == "silent.lab.test")
            {
                return Array.Empty<byte[]>();
            }

            byte[] forged = FakeDnsServer.MxReply(query, name, "forged.example");
            forged[1] ^= 0x5A;
            return new[] { forged, FakeDnsServer.MxReply(query, name, "mx1.lab.test") };
        });
        using DnsQuerier dns = Querier(null, server.EndPoint);

        Task<DnsLookup> silent = Ask(dns, "silent.lab.test");
        DnsLookup answered = await Ask(dns, "one.lab.test");

        Assert.Equal(DnsOutcome.Answered, answered.Outcome);
        Assert.Equal(DnsOutcome.Timeout, (await silent).Outcome);
    }

    [Fact]
    public async Task ALateAnswerToTheFirstAttemptIsTakenWhileTheSecondWaits()
    {
        int asked = 0;
        await using var server = new FakeDnsServer(
            query => Interlocked.Increment(ref asked) == 1 ? new[] { FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "late.lab.test") } : Array.Empty<byte[]>(),
            delay: _ => TimeSpan.FromMilliseconds(3000));
        // 10 s: each attempt waits 2,250 ms, so the answer at 3 s comes well past the first and well within the second.
        using var dns = new DnsQuerier(new List<IPEndPoint> { server.EndPoint }, TimeSpan.FromSeconds(10), _ => { }, CancellationToken.None);

        DnsLookup lookup = await Ask(dns, "post.lab.test");

        Assert.Equal(DnsOutcome.Answered, lookup.Outcome);
        Assert.Equal("late.lab.test.", Assert.Single(lookup.Answers.OfType<MxRecord>()).Exchange.Value);
    }

    [Fact]
    public async Task CtrlCEndsAQuestionInFlightAtOnceWithOperationCanceled()
    {
        IPEndPoint silent = SilentServer(out Socket keepOpen);
        using (keepOpen)
        using (var stop = new CancellationTokenSource())
        {
            using var dns = new DnsQuerier(new List<IPEndPoint> { silent }, TimeSpan.FromSeconds(20), _ => { }, stop.Token);
            Task<DnsLookup> question = dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);
            await Task.Delay(100);
            var clock = Stopwatch.StartNew();

            stop.Cancel();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => question.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms: an attempt of the 20 s timeout is 4.5 s");
        }
    }

    [Fact]
    public async Task DisposingTheQuerierEndsAQuestionInFlightAsCancelledNotAsNoAnswer()
    {
        IPEndPoint silent = SilentServer(out Socket keepOpen);
        using (keepOpen)
        {
            var dns = new DnsQuerier(new List<IPEndPoint> { silent }, TimeSpan.FromSeconds(20), _ => { }, CancellationToken.None);
            Task<DnsLookup> question = dns.QueryAsync("post.lab.test", QueryType.MX, CancellationToken.None);
            await Task.Delay(100);

            dns.Dispose();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => question.WaitAsync(TimeSpan.FromSeconds(5)));
        }
    }

    private static byte[] Truncated(byte[] reply)
    {
        reply[2] |= 0x02;
        return reply;
    }
}
