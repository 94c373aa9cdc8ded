using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;

namespace ExchangeDiag.Dns;

/// <summary>
/// Asks one question of the servers in their order, as a stub resolver does: over UDP, twice per
/// server when no answer comes, and over TCP when the answer is truncated. The first NOERROR or
/// NXDOMAIN answer is the answer; SERVFAIL, REFUSED and the like, a malformed answer or a dead
/// server move on to the next server, and when none answers better the first of those is kept.
/// </summary>
internal sealed class DnsTransport : IDisposable
{
    /// <summary>A lost datagram is asked again once; a dead first server still leaves time for the next.</summary>
    public const int AttemptsPerServer = 2;

    private readonly DnsServerChannel[] _servers;
    private readonly TimeSpan _attempt;
    private readonly Action<string>? _log;
    private readonly DnsNameCache _names = new DnsNameCache();

    /// <param name="attempt">The longest one UDP attempt, or the TCP exchange, waits.</param>
    public DnsTransport(IPEndPoint[] servers, TimeSpan attempt, Action<string>? log)
    {
        _servers = servers.Select(s => new DnsServerChannel(s)).ToArray();
        _attempt = attempt;
        _log = log;
        Description = string.Join(", ", _servers.Select(s => s.Description));
    }

    /// <summary>The servers asked, for messages: "127.0.0.1:5353" or "8.8.8.8, [2001:db8::1]".</summary>
    public string Description { get; }

    /// <summary>Asks the question; how DNS failed is an outcome, never an exception. Throws only when cancelled.</summary>
    public async Task<DnsExchange> AskAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        byte[]? question = DnsWire.Question(name, type);
        if (question == null)
        {
            // A name from a record (an SPF include, a CNAME target) that no question can carry.
            return DnsExchange.Failed(DnsOutcome.InvalidRecord, new Phrase(Texts.Messages, "DnsCode_NotHostName", ServerText.Printable(name, 80)), Description);
        }

        DnsExchange? kept = null;
        foreach (DnsServerChannel server in _servers)
        {
            DnsExchange exchange = await AskServerAsync(server, question, name, type, cancellationToken).ConfigureAwait(false);
            if (exchange.IsFinal)
            {
                return exchange;
            }

            if (kept == null || exchange.Rank < kept.Rank)
            {
                kept = exchange;
            }
        }

        // Every server timed out: the lookup names them all.
        return kept!.Outcome == DnsOutcome.Timeout && _servers.Length > 1
            ? DnsExchange.Failed(DnsOutcome.Timeout, kept.Said, Description)
            : kept;
    }

    internal bool AnyReaderRunning => _servers.Any(s => s.ReaderRunning);

    public void Dispose()
    {
        foreach (DnsServerChannel server in _servers)
        {
            server.Dispose();
        }
    }

    private async Task<DnsExchange> AskServerAsync(DnsServerChannel server, byte[] question, string name, QueryType type, CancellationToken cancellationToken)
    {
        ushort edns = DnsWire.EdnsPayloadSize;
        UdpEnd? fault = null;
        for (int attempt = 0; attempt < AttemptsPerServer; attempt++)
        {
            UdpExchange udp = await server.ExchangeAsync(question, edns, _attempt, cancellationToken).ConfigureAwait(false);
            if (udp.End == UdpEnd.Timeout || udp.IsFault)
            {
                // A datagram that was no answer does not end the wait, nor the next attempt: the real answer may still come.
                fault = udp.IsFault ? udp.End : fault;
                _log?.Invoke($"DNS {type} {name}: no answer from {server.Description} within {_attempt.TotalMilliseconds:0} ms"
                    + (udp.IsFault ? $", only a {Fault(udp.End).Trace}" : string.Empty));
                continue;
            }

            if (udp.End == UdpEnd.Unreachable)
            {
                return DnsExchange.Failed(DnsOutcome.NetworkError, new Phrase(Texts.Messages, "DnsCode_NoAnswer", udp.Error), server.Description);
            }

            byte[] message = udp.Message!;
            if (DnsWire.IsTruncated(message))
            {
                // What a truncated answer holds is not read (RFC 2181 §9): its counts may promise records it lacks.
                _log?.Invoke($"DNS {type} {name}: the UDP answer of {server.Description} was truncated, asking again over TCP");
                // The server is alive: TCP may take what is left of its share, the attempts not made included.
                TimeSpan left = TimeSpan.FromTicks(_attempt.Ticks * (AttemptsPerServer - attempt));
                return await AskOverTcpAsync(server, question, name, type, left, cancellationToken).ConfigureAwait(false);
            }

            if (DnsWire.ResponseCode(message) == DnsHeaderResponseCode.FormatError && edns > 0)
            {
                // A server from before EDNS (RFC 6891 §7): the same question without the OPT record.
                _log?.Invoke($"DNS {type} {name}: {server.Description} refused EDNS (FORMERR), asking again without it");
                edns = 0;
                attempt--;
                continue;
            }

            return Read(message, question, server);
        }

        return fault != null
            ? DnsExchange.Failed(DnsOutcome.Malformed, Fault(fault.Value), server.Description)
            : DnsExchange.Failed(DnsOutcome.Timeout, new Phrase(Texts.Messages, "DnsCode_Timeout"), server.Description);
    }

    private DnsExchange Read(byte[] message, byte[] question, DnsServerChannel server)
    {
        try
        {
            return DnsExchange.Answered(DnsWire.ReadAnswer(message, question.Length, _names), server.Description);
        }
        catch (MalformedAnswerException)
        {
            return DnsExchange.Failed(DnsOutcome.Malformed, new Phrase(Texts.Messages, "DnsCode_DoesNotParse"), server.Description);
        }
    }

    private static Phrase Fault(UdpEnd end) => new Phrase(Texts.Messages, end switch
    {
        UdpEnd.OtherQuestion => "DnsCode_OtherQuestion",
        UdpEnd.OtherTransaction => "DnsCode_OtherTransaction",
        _ => "DnsCode_DoesNotParse",
    });

    /// <summary>
    /// A truncated answer over TCP; when a firewall refuses TCP to port 53 at once (as some networks
    /// do), one UDP attempt offering 4,096 bytes, which holds most answers where IP fragments get
    /// through. A TCP exchange that ran out of time has used the server's share: no more attempts.
    /// </summary>
    private async Task<DnsExchange> AskOverTcpAsync(DnsServerChannel server, byte[] question, string name, QueryType type, TimeSpan tcpTime, CancellationToken cancellationToken)
    {
        DnsExchange overTcp = await AskTcpAsync(server, question, tcpTime, cancellationToken).ConfigureAwait(false);
        if (overTcp.Answer != null || overTcp.Outcome == DnsOutcome.Malformed)
        {
            // TCP did answer, well or not.
            return overTcp;
        }

        var noTcp = DnsExchange.Failed(DnsOutcome.Malformed, new Phrase(Texts.Messages, "DnsCode_TruncatedNoTcp", overTcp.Said.Trace), server.Description);
        if (overTcp.Outcome == DnsOutcome.Timeout)
        {
            return noTcp;
        }

        _log?.Invoke($"DNS {type} {name}: no answer over TCP from {server.Description} ({overTcp.Said.Trace}), asking over UDP offering {DnsWire.LargeEdnsPayloadSize} bytes");
        UdpExchange udp = await server.ExchangeAsync(question, DnsWire.LargeEdnsPayloadSize, _attempt, cancellationToken).ConfigureAwait(false);
        return udp.End == UdpEnd.Answered && !DnsWire.IsTruncated(udp.Message!) ? Read(udp.Message!, question, server) : noTcp;
    }

    /// <summary>The question over TCP (RFC 7766), for an answer too large for UDP; Timeout, or NetworkError with its reason in Said, when TCP gives none.</summary>
    private async Task<DnsExchange> AskTcpAsync(DnsServerChannel server, byte[] question, TimeSpan tcpTime, CancellationToken cancellationToken)
    {
        byte[] idBytes = new byte[2];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(idBytes);
        }

        ushort id = (ushort)((idBytes[0] << 8) | idBytes[1]);
        byte[] query = DnsWire.Query(id, question, ednsSize: 0);
        byte[] framed = new byte[query.Length + 2];
        framed[0] = (byte)(query.Length >> 8);
        framed[1] = (byte)query.Length;
        Buffer.BlockCopy(query, 0, framed, 2, query.Length);

        using var socket = new Socket(server.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(tcpTime);
        // Closing the socket ends a connect or a read that the deadline or Ctrl+C cut short.
        using CancellationTokenRegistration closeOnDeadline = deadline.Token.Register(() => socket.Dispose());
        string failure;
        try
        {
            await socket.ConnectAsync(server.EndPoint).ConfigureAwait(false);
            await socket.SendAsync(new ArraySegment<byte>(framed), SocketFlags.None).ConfigureAwait(false);
            byte[] prefix = await ReadExactlyAsync(socket, 2).ConfigureAwait(false);
            int length = (prefix[0] << 8) | prefix[1];
            byte[] message = await ReadExactlyAsync(socket, length).ConfigureAwait(false);
            if (length < 2 || DnsWire.Id(message) != id)
            {
                return DnsExchange.Failed(DnsOutcome.Malformed, new Phrase(Texts.Messages, length < 2 ? "DnsCode_DoesNotParse" : "DnsCode_OtherTransaction"), server.Description);
            }

            ReplyKind kind = DnsWire.Classify(message, length, question);
            return kind == ReplyKind.Answer
                ? Read(message, question, server)
                : DnsExchange.Failed(DnsOutcome.Malformed, new Phrase(Texts.Messages, kind == ReplyKind.OtherQuestion ? "DnsCode_OtherQuestion" : "DnsCode_DoesNotParse"), server.Description);
        }
        catch (Exception ex) when ((ex is SocketException || ex is ObjectDisposedException || ex is EndOfStreamException) && !cancellationToken.IsCancellationRequested)
        {
            if (deadline.IsCancellationRequested)
            {
                return DnsExchange.Failed(DnsOutcome.Timeout, Phrase.Fixed("timeout"), server.Description);
            }

            failure = ex is SocketException socketError ? socketError.SocketErrorCode.ToString() : "connection closed";
        }
        catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is EndOfStreamException)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return DnsExchange.Failed(DnsOutcome.NetworkError, Phrase.Fixed(failure), server.Description);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int got = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, read, count - read), SocketFlags.None).ConfigureAwait(false);
            if (got == 0)
            {
                throw new EndOfStreamException();
            }

            read += got;
        }

        return buffer;
    }
}

/// <summary>One question's end: the answer read, or the outcome and reason when there is none.</summary>
internal sealed class DnsExchange
{
    private static readonly Phrase NothingWrong = Phrase.Fixed(string.Empty);

    private DnsExchange(DnsAnswer? answer, DnsOutcome outcome, Phrase said, string server)
    {
        Answer = answer;
        Outcome = outcome;
        Said = said;
        Server = server;
    }

    public DnsAnswer? Answer { get; }

    /// <summary>What went wrong; for an answer, <see cref="DnsOutcome.Answered"/> (its code tells the rest).</summary>
    public DnsOutcome Outcome { get; }

    public Phrase Said { get; }

    /// <summary>The server that answered, or the one (or ones) asked when none did.</summary>
    public string Server { get; }

    /// <summary>NOERROR or NXDOMAIN: no other server is asked.</summary>
    public bool IsFinal => Answer != null && (Answer.Code == DnsHeaderResponseCode.NoError || Answer.Code == DnsHeaderResponseCode.NotExistentDomain);

    /// <summary>Which end to keep when no server answered for good: a server's own error code first, then a malformed answer, a dead server, silence.</summary>
    public int Rank => Answer != null ? 0 : Outcome switch
    {
        DnsOutcome.Malformed => 1,
        DnsOutcome.InvalidRecord => 1,
        DnsOutcome.NetworkError => 2,
        _ => 3,
    };

    public static DnsExchange Answered(DnsAnswer answer, string server) => new DnsExchange(answer, DnsOutcome.Answered, NothingWrong, server);

    public static DnsExchange Failed(DnsOutcome outcome, Phrase said, string server) => new DnsExchange(null, outcome, said, server);
}
