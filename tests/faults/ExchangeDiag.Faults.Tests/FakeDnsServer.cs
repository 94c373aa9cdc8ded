using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Faults;

/// <summary>
/// A DNS server on 127.0.0.1 (UDP) that answers every query with what <c>reply</c> makes of it:
/// a wrong transaction id, garbage, an answer to another question; or with several datagrams, or
/// none. With <c>tcpReply</c> it also answers over TCP on the same port. Bounded: it stops after
/// 20 s or when disposed, and answers at most 500 queries.
/// </summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
    private readonly Task _serving;
    private readonly TcpListener? _tcp;
    private readonly Task _servingTcp = Task.CompletedTask;

    public FakeDnsServer(Func<byte[], byte[]> reply)
        : this(query => new[] { reply(query) })
    {
    }

    /// <param name="replies">The datagrams sent back for a query, in order.</param>
    /// <param name="delay">How long to wait before answering a query (answers then come out of order).</param>
    /// <param name="tcpReply">The answer to a query over TCP; null for no TCP server.</param>
    public FakeDnsServer(Func<byte[], System.Collections.Generic.IEnumerable<byte[]>> replies, Func<byte[], TimeSpan>? delay = null, Func<byte[], byte[]>? tcpReply = null)
    {
        if (tcpReply != null)
        {
            _tcp = new TcpListener(EndPoint);
            _tcp.Start();
            _servingTcp = ServeTcpAsync(tcpReply);
        }

        _serving = ServeAsync(replies, delay);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int Queries;

    /// <summary>A NOERROR reply to <paramref name="query"/> with one MX answer per exchange (mail.lab.test by default), the question copied.</summary>
    public static byte[] MxReply(byte[] query, string questionName, params string[] exchangeNames)
    {
        byte[] question = Question(questionName, 15);
        var reply = new System.Collections.Generic.List<byte>
        {
            query[0], query[1],
            0x81, 0x80, // response, recursion desired and available, NOERROR
            0, 1,       // one question
            0, (byte)Math.Max(1, exchangeNames.Length),
            0, 0, 0, 0,
        };
        reply.AddRange(question);
        foreach (string exchangeName in exchangeNames.Length == 0 ? new[] { "mail.lab.test" } : exchangeNames)
        {
            byte[] exchange = Name(exchangeName);
            reply.AddRange(new byte[] { 0xC0, 12, 0, 15, 0, 1, 0, 0, 0x0E, 0x10, 0, (byte)(2 + exchange.Length), 0, 10 });
            reply.AddRange(exchange);
        }

        return reply.ToArray();
    }

    /// <summary>A NOERROR reply that answers the query's question (A or AAAA) with a CNAME to <paramref name="target"/>.</summary>
    public static byte[] CnameReply(byte[] query, string target)
    {
        int questionEnd = QuestionEnd(query);
        byte[] canonical = Name(target);
        var reply = new byte[questionEnd + 12 + canonical.Length];
        Array.Copy(query, reply, questionEnd);
        reply[2] = 0x81;
        reply[3] = 0x80;
        reply[7] = 1;
        reply[9] = 0;
        reply[11] = 0;
        byte[] answer = { 0xC0, 12, 0, 5, 0, 1, 0, 0, 0x0E, 0x10, 0, (byte)canonical.Length };
        answer.CopyTo(reply, questionEnd);
        canonical.CopyTo(reply, questionEnd + answer.Length);
        return reply;
    }

    /// <summary>A NOERROR reply to an A question with <paramref name="address"/>; to any other question, NOERROR with no answer.</summary>
    public static byte[] AddressReply(byte[] query, IPAddress address)
    {
        int questionEnd = QuestionEnd(query);
        bool isA = query[questionEnd - 3] == 1 && query[questionEnd - 4] == 0;
        byte[] data = address.GetAddressBytes();
        var reply = new byte[questionEnd + (isA ? 12 + data.Length : 0)];
        Array.Copy(query, reply, questionEnd);
        reply[2] = 0x81;
        reply[3] = 0x80;
        reply[7] = (byte)(isA ? 1 : 0);
        reply[9] = 0;
        reply[11] = 0;
        if (isA)
        {
            byte[] answer = { 0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, (byte)data.Length };
            answer.CopyTo(reply, questionEnd);
            data.CopyTo(reply, questionEnd + answer.Length);
        }

        return reply;
    }

    /// <summary>SERVFAIL to the query's question, which is copied; no answer.</summary>
    public static byte[] ServerFailure(byte[] query)
    {
        int questionEnd = QuestionEnd(query);
        var reply = new byte[questionEnd];
        Array.Copy(query, reply, questionEnd);
        reply[2] = 0x81;
        reply[3] = 0x82; // recursion available, SERVFAIL
        reply[7] = 0;
        reply[9] = 0;
        reply[11] = 0;
        return reply;
    }

    /// <summary>The question's type (1 A, 15 MX, 28 AAAA...).</summary>
    public static int QuestionType(byte[] query)
    {
        int questionEnd = QuestionEnd(query);
        return (query[questionEnd - 4] << 8) | query[questionEnd - 3];
    }

    /// <summary>Where the question section of a query ends: its name, then type and class.</summary>
    private static int QuestionEnd(byte[] query)
    {
        int at = 12;
        while (query[at] != 0)
        {
            at += query[at] + 1;
        }

        return at + 5;
    }

    /// <summary>The question name of a query, read from its question section.</summary>
    public static string QuestionName(byte[] query)
    {
        var labels = new System.Collections.Generic.List<string>();
        int at = 12;
        while (at < query.Length && query[at] != 0)
        {
            int length = query[at];
            labels.Add(System.Text.Encoding.ASCII.GetString(query, at + 1, length));
            at += length + 1;
        }

        return string.Join(".", labels);
    }

    private static byte[] Question(string name, ushort type)
    {
        byte[] encoded = Name(name);
        var question = new byte[encoded.Length + 4];
        encoded.CopyTo(question, 0);
        question[encoded.Length + 1] = (byte)type;
        question[encoded.Length + 3] = 1;
        return question;
    }

    private static byte[] Name(string name)
    {
        var bytes = new System.Collections.Generic.List<byte>();
        foreach (string label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.Latin1.GetBytes(label)); // one byte per char, so tests can send any byte
        }

        bytes.Add(0);
        return bytes.ToArray();
    }

    /// <summary>Whether a query carries an OPT record (EDNS): any additional record counts.</summary>
    public static bool HasEdns(byte[] query) => query[11] != 0 || query[10] != 0;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp?.Stop();
        try
        {
            await Task.WhenAll(_serving, _servingTcp);
        }
        catch (Exception)
        {
            // The server's own end does not matter to the test.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(Func<byte[], System.Collections.Generic.IEnumerable<byte[]>> replies, Func<byte[], TimeSpan>? delay)
    {
        while (Queries < 500)
        {
            UdpReceiveResult query = await _udp.ReceiveAsync(_stop.Token);
            Interlocked.Increment(ref Queries);
            TimeSpan wait = delay?.Invoke(query.Buffer) ?? TimeSpan.Zero;
            if (wait == TimeSpan.Zero)
            {
                await SendAsync(replies(query.Buffer), query.RemoteEndPoint);
                continue;
            }

            _ = Task.Delay(wait, _stop.Token).ContinueWith(_ => SendAsync(replies(query.Buffer), query.RemoteEndPoint), TaskScheduler.Default).Unwrap();
        }
    }

    private async Task SendAsync(System.Collections.Generic.IEnumerable<byte[]> datagrams, IPEndPoint to)
    {
        foreach (byte[] datagram in datagrams)
        {
            await _udp.SendAsync(datagram, datagram.Length, to);
        }
    }

    private async Task ServeTcpAsync(Func<byte[], byte[]> reply)
    {
        while (!_stop.IsCancellationRequested)
        {
            using TcpClient client = await _tcp!.AcceptTcpClientAsync(_stop.Token);
            NetworkStream stream = client.GetStream();
            byte[] prefix = new byte[2];
            await stream.ReadExactlyAsync(prefix, _stop.Token);
            byte[] query = new byte[(prefix[0] << 8) | prefix[1]];
            await stream.ReadExactlyAsync(query, _stop.Token);
            Interlocked.Increment(ref Queries);
            byte[] answer = reply(query);
            await stream.WriteAsync(new[] { (byte)(answer.Length >> 8), (byte)answer.Length }, _stop.Token);
            await stream.WriteAsync(answer, _stop.Token);
        }
    }
}
