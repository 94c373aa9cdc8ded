using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Dns;

/// <summary>
/// One DNS server's UDP socket for one invocation: every question to that server goes out on it,
/// and one reader hands each reply to the question that waits for it. A million domains thus cost a
/// million datagrams, not a million sockets (opening, registering and closing one per question was
/// most of the time the kernel spent on a bulk run).
/// </summary>
/// <remarks>
/// A reply is taken only when it carries the transaction id of a question waiting on this socket
/// (ids are random, never one still waiting or used in the last 1,024 questions) and repeats that
/// question; the socket is connected, so the kernel drops datagrams from any other address. A
/// datagram with a waiting id that is no answer to the question (garbage, another question) is
/// remembered, not taken: the real answer may still come, as a stub resolver would wait for it.
/// The source port stays the same for the invocation; spoofing an answer still needs the port, the
/// id and the question, and a diagnosis keeps nothing past its invocation.
/// </remarks>
internal sealed class DnsServerChannel : IDisposable
{
    private const int MaxDatagram = 65535;
    private const int RecentIds = 1024;

    // How often questions past their time are ended: one timer for the socket, not one per question.
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new object();
    private readonly Dictionary<ushort, Waiter> _waiting = new Dictionary<ushort, Waiter>();
    private readonly ushort[] _retired = new ushort[RecentIds];
    private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();
    private readonly byte[] _randomBytes = new byte[512];
    private bool[]? _recentlyUsed;
    private int _retiredNext;
    private bool _retiredFull;
    private int _randomNext = 512;
    private Socket? _socket;
    private Timer? _sweep;
    private Thread? _reader;
    private bool _disposed;

    // Datagrams that carried no id asked on this socket lately: "another transaction id" once a question times out.
    private long _strays;

    public DnsServerChannel(IPEndPoint endPoint)
    {
        EndPoint = endPoint;
        Description = DnsServerAddress.Format(endPoint.Address, endPoint.Port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>"127.0.0.1:5353" or "[2001:db8::1]", as messages show the server.</summary>
    public string Description { get; }

    /// <summary>Whether the thread that reads the socket's answers still runs (it ends when the channel is disposed).</summary>
    internal bool ReaderRunning => _reader?.IsAlive == true;

    /// <summary>Sends the question once and waits up to <paramref name="timeout"/> for its answer. Throws only when cancelled.</summary>
    public async Task<UdpExchange> ExchangeAsync(byte[] question, bool edns, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Socket socket;
        var waiter = new Waiter(question, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        ushort id;
        long strays;
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(DnsServerChannel));
            }

            try
            {
                socket = _socket ??= Open();
            }
            catch (SocketException ex)
            {
                return UdpExchange.Unreachable(ex.SocketErrorCode);
            }

            id = NewId();
            _waiting.Add(id, waiter);
            strays = _strays;
        }

        try
        {
            byte[] query = DnsWire.Query(id, question, edns);
            try
            {
                // Synchronous: a datagram goes out at once, and the socket stays a blocking one for its reader thread.
                socket.Send(query);
            }
            catch (SocketException ex)
            {
                return UdpExchange.Unreachable(ex.SocketErrorCode);
            }
            catch (ObjectDisposedException) when (!cancellationToken.IsCancellationRequested)
            {
                // The reader closed the socket after a failure it could not recover from.
                return UdpExchange.Unreachable(SocketError.NotConnected);
            }

            UdpExchange reply;
            using (cancellationToken.Register(static w => ((Waiter)w!).Reply.TrySetCanceled(), waiter))
            {
                reply = await waiter.Reply.Task.ConfigureAwait(false);
            }

            if (reply.End != UdpEnd.Timeout)
            {
                return reply;
            }

            ReplyKind? fault = waiter.Fault;
            return fault == ReplyKind.OtherQuestion ? UdpExchange.Ended(UdpEnd.OtherQuestion)
                : fault == ReplyKind.DoesNotParse ? UdpExchange.Ended(UdpEnd.DoesNotParse)
                : Interlocked.Read(ref _strays) != strays ? UdpExchange.Ended(UdpEnd.OtherTransaction)
                : UdpExchange.Ended(UdpEnd.Timeout);
        }
        finally
        {
            lock (_gate)
            {
                Retire(id);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _sweep?.Dispose();
            if (_socket != null)
            {
                Socket socket = _socket;
                _socket = null;
                try
                {
                    // Wakes the reader thread out of its blocking read; closing alone may not on Linux.
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Not connected any more: closing is enough.
                }

                socket.Dispose();
            }

            _random.Dispose();
        }
    }

    private Socket Open()
    {
        var socket = new Socket(EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Connected: the kernel keeps out datagrams from other addresses, and an ICMP "port
            // unreachable" from a dead server comes back as an error on the next read.
            socket.Connect(EndPoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        // A thread of its own that blocks in recv: each answer reaches its question with one hand-over
        // to the thread pool, not three (the epoll thread, a pool thread to read, another to continue).
        _reader = new Thread(ReadReplies) { IsBackground = true, Name = "ExchangeDiag DNS " + Description };
        _reader.Start(socket);
        _sweep ??= new Timer(static channel => ((DnsServerChannel)channel!).EndOverdue(), this, SweepPeriod, SweepPeriod);
        return socket;
    }

    private void ReadReplies(object? state)
    {
        var socket = (Socket)state!;
        byte[] buffer = new byte[MaxDatagram];
        while (true)
        {
            int length;
            try
            {
                length = socket.Receive(buffer);
            }
            catch (SocketException ex) when ((ex.SocketErrorCode == SocketError.ConnectionRefused || ex.SocketErrorCode == SocketError.ConnectionReset) && IsOpen(socket))
            {
                // Nothing listens on the server's port (ICMP port unreachable): every question waiting here has its answer.
                FailWaiting(ex.SocketErrorCode);
                continue;
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                Close(socket);
                FailWaiting(ex is SocketException socketError ? socketError.SocketErrorCode : SocketError.OperationAborted);
                return;
            }

            if (length == 0 && !IsOpen(socket))
            {
                // Dispose shut the socket down to wake this read.
                return;
            }

            Dispatch(buffer, length);
        }
    }

    private bool IsOpen(Socket socket)
    {
        lock (_gate)
        {
            return ReferenceEquals(_socket, socket);
        }
    }

    /// <summary>Closes a socket that failed in a way it does not recover from: the next question opens another.</summary>
    private void Close(Socket socket)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_socket, socket))
            {
                _socket = null;
                socket.Dispose();
            }
        }
    }

    private void Dispatch(byte[] datagram, int length)
    {
        Waiter? waiter;
        lock (_gate)
        {
            if (length < 2 || !_waiting.TryGetValue(DnsWire.Id(datagram), out waiter))
            {
                if (length < 2 || _recentlyUsed?[DnsWire.Id(datagram)] != true)
                {
                    _strays++;
                }

                // Otherwise a late answer to a question that gave up waiting.
                return;
            }
        }

        ReplyKind kind = DnsWire.Classify(datagram, length, waiter.Question);
        if (kind != ReplyKind.Answer)
        {
            waiter.NoteFault(kind);
            return;
        }

        byte[] message = new byte[length];
        Buffer.BlockCopy(datagram, 0, message, 0, length);
        waiter.Reply.TrySetResult(UdpExchange.Answered(message));
    }

    private void FailWaiting(SocketError error)
    {
        List<Waiter> waiting;
        lock (_gate)
        {
            waiting = new List<Waiter>(_waiting.Values);
        }

        foreach (Waiter waiter in waiting)
        {
            waiter.Reply.TrySetResult(UdpExchange.Unreachable(error));
        }
    }

    /// <summary>Ends the questions whose time is up: their answer is "no answer in time".</summary>
    private void EndOverdue()
    {
        long now = Stopwatch.GetTimestamp();
        List<Waiter>? overdue = null;
        lock (_gate)
        {
            foreach (Waiter waiter in _waiting.Values)
            {
                if (waiter.Deadline <= now)
                {
                    (overdue ??= new List<Waiter>()).Add(waiter);
                }
            }
        }

        if (overdue != null)
        {
            foreach (Waiter waiter in overdue)
            {
                waiter.Reply.TrySetResult(UdpExchange.TimedOut);
            }
        }
    }

    /// <summary>A random id that no question waits with and none of the last 1,024 used (their late answers are not taken for another's).</summary>
    private ushort NewId()
    {
        _recentlyUsed ??= new bool[65536];
        while (true)
        {
            if (_randomNext >= _randomBytes.Length)
            {
                _random.GetBytes(_randomBytes);
                _randomNext = 0;
            }

            ushort id = (ushort)((_randomBytes[_randomNext] << 8) | _randomBytes[_randomNext + 1]);
            _randomNext += 2;
            if (!_recentlyUsed[id] && !_waiting.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private void Retire(ushort id)
    {
        _waiting.Remove(id);
        if (_retiredFull)
        {
            _recentlyUsed![_retired[_retiredNext]] = false;
        }

        _retired[_retiredNext] = id;
        _recentlyUsed![id] = true;
        _retiredNext = (_retiredNext + 1) % RecentIds;
        _retiredFull |= _retiredNext == 0;
    }

    private sealed class Waiter
    {
        public Waiter(byte[] question, long deadline)
        {
            Question = question;
            Deadline = deadline;
        }

        public byte[] Question { get; }

        /// <summary>When to stop waiting, in <see cref="Stopwatch"/> ticks.</summary>
        public long Deadline { get; }

        public TaskCompletionSource<UdpExchange> Reply { get; } = new TaskCompletionSource<UdpExchange>(TaskCreationOptions.RunContinuationsAsynchronously);

        // What the last datagram with this question's id that was no answer to it was: 0 for none.
        private int _fault;

        public ReplyKind? Fault => Volatile.Read(ref _fault) is int fault && fault > 0 ? (ReplyKind)(fault - 1) : null;

        public void NoteFault(ReplyKind kind) => Volatile.Write(ref _fault, (int)kind + 1);
    }
}

/// <summary>How one UDP question to one server ended.</summary>
internal enum UdpEnd
{
    Answered,
    Timeout,
    Unreachable,
    OtherQuestion,
    DoesNotParse,
    OtherTransaction,
}

/// <summary>One UDP question's end: the answer's bytes, or why there is none.</summary>
internal sealed class UdpExchange
{
    private UdpExchange(UdpEnd end, byte[]? message = null, SocketError error = SocketError.Success)
    {
        End = end;
        Message = message;
        Error = error;
    }

    public UdpEnd End { get; }

    /// <summary>The answer's datagram, when <see cref="End"/> is Answered.</summary>
    public byte[]? Message { get; }

    /// <summary>Why the server could not be reached, when <see cref="End"/> is Unreachable.</summary>
    public SocketError Error { get; }

    public static UdpExchange TimedOut { get; } = new UdpExchange(UdpEnd.Timeout);

    public static UdpExchange Answered(byte[] message) => new UdpExchange(UdpEnd.Answered, message);

    public static UdpExchange Unreachable(SocketError error) => new UdpExchange(UdpEnd.Unreachable, error: error);

    public static UdpExchange Ended(UdpEnd end) => new UdpExchange(end);
}
