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
/// and one reader thread hands each reply to the question that waits for it. A million domains thus
/// cost a million datagrams, not a million sockets (opening, registering and closing one per
/// question was most of the time the kernel spent on a bulk run).
/// </summary>
/// <remarks>
/// A reply is an answer only when it carries the transaction id of a question waiting on this socket
/// and repeats that question; the socket is connected, so the kernel drops datagrams from any other
/// address. Ids are random, never one still waiting or one of the last 16,384 used. A datagram with a
/// waiting id that is no answer to the question (garbage, another question), or one that repeats a
/// waiting question under an id never used, is noted against that question only, and the real answer
/// is still waited for, as a stub resolver does. A late answer to an earlier attempt of a question
/// still waiting is its answer. The source port stays the same for the invocation: spoofing an answer
/// still needs the port, the id and the question, and a diagnosis keeps nothing past its invocation.
/// </remarks>
internal sealed class DnsServerChannel : IDisposable
{
    private const int MaxDatagram = 65535;
    private const int RecentIds = 16384;

    // How often questions past their time are ended while some wait: one timer, not one per question.
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new object();
    private readonly Dictionary<ushort, Waiter> _waiting = new Dictionary<ushort, Waiter>();

    // The last ids used, oldest first, with the question each was for: their late answers are known.
    private readonly Queue<ushort> _retiredOrder = new Queue<ushort>();
    private readonly Dictionary<ushort, byte[]> _retired = new Dictionary<ushort, byte[]>();
    private readonly RandomNumberGenerator _random = RandomNumberGenerator.Create();
    private readonly byte[] _randomBytes = new byte[512];
    private int _randomNext = 512;
    private Socket? _socket;
    private Thread? _reader;
    private Timer? _sweep;
    private bool _sweeping;
    private bool _disposed;

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

    /// <summary>
    /// Sends the question once and waits up to <paramref name="timeout"/> for its answer, or for a
    /// late answer to an earlier attempt of the same <paramref name="question"/> (the same array).
    /// <paramref name="ednsSize"/> is the UDP size offered in EDNS(0), 0 for none. Throws only when cancelled.
    /// </summary>
    public async Task<UdpExchange> ExchangeAsync(byte[] question, ushort ednsSize, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(question, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        Socket socket;
        ushort id;
        lock (_gate)
        {
            if (_disposed)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
            if (!_sweeping)
            {
                _sweeping = true;
                _sweep!.Change(SweepPeriod, SweepPeriod);
            }
        }

        try
        {
            try
            {
                // Synchronous: a datagram goes out at once, and the socket stays a blocking one for its reader thread.
                socket.Send(DnsWire.Query(id, question, ednsSize));
            }
            catch (SocketException ex)
            {
                return UdpExchange.Unreachable(ex.SocketErrorCode);
            }
            catch (ObjectDisposedException)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The reader closed the socket after a failure it could not recover from, or the channel is being disposed.
                return UdpExchange.Unreachable(SocketError.NotConnected);
            }

            UdpExchange reply;
            using (cancellationToken.Register(static state => ((Waiter)state!).Cancel(), waiter))
            {
                try
                {
                    reply = await waiter.Reply.Task.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }

            if (reply.End != UdpEnd.Timeout)
            {
                return reply;
            }

            return waiter.Fault switch
            {
                ReplyKind.OtherQuestion => UdpExchange.Ended(UdpEnd.OtherQuestion),
                ReplyKind.DoesNotParse => UdpExchange.Ended(UdpEnd.DoesNotParse),
                ReplyKind.OtherTransaction => UdpExchange.Ended(UdpEnd.OtherTransaction),
                _ => reply,
            };
        }
        finally
        {
            lock (_gate)
            {
                Retire(id, question);
            }
        }
    }

    /// <summary>Ends the questions still waiting (they are cancelled), closes the socket, and so ends the reader thread.</summary>
    public void Dispose()
    {
        List<Waiter> waiting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _sweep?.Dispose();
            waiting = new List<Waiter>(_waiting.Values);
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

        foreach (Waiter waiter in waiting)
        {
            waiter.Cancel();
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
        _sweep ??= new Timer(static channel => ((DnsServerChannel)channel!).EndOverdue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return socket;
    }

    private void ReadReplies(object? state)
    {
        var socket = (Socket)state!;
        byte[] buffer = new byte[MaxDatagram];
        try
        {
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

                if (length == 0 && !IsOpen(socket))
                {
                    // Dispose shut the socket down to wake this read.
                    return;
                }

                Dispatch(buffer, length);
            }
        }
        catch (Exception ex)
        {
            // A socket error it does not recover from, or a bug: this thread must never take the
            // PowerShell process down with it. The questions waiting end; the next opens a new socket.
            Close(socket);
            FailWaiting(ex is SocketException socketError ? socketError.SocketErrorCode : SocketError.SocketError);
        }
    }

    private bool IsOpen(Socket socket)
    {
        lock (_gate)
        {
            return ReferenceEquals(_socket, socket);
        }
    }

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
        if (length < 2)
        {
            return;
        }

        ushort id = DnsWire.Id(datagram);
        Waiter? waiter;
        bool idUsed = true;
        lock (_gate)
        {
            if (!_waiting.TryGetValue(id, out waiter))
            {
                // A late answer to an attempt that gave up: the answer of the same question's next attempt, if it still waits.
                waiter = _retired.TryGetValue(id, out byte[]? question) ? Waiting(question) : null;
                if (waiter == null && !_retired.ContainsKey(id))
                {
                    // An id never used lately: forged, or garbled on the way. It counts against a question it repeats, and only as a fault.
                    idUsed = false;
                    foreach (Waiter candidate in _waiting.Values)
                    {
                        if (DnsWire.RepeatsQuestion(datagram, length, candidate.Question))
                        {
                            waiter = candidate;
                            break;
                        }
                    }
                }
            }
        }

        if (waiter == null)
        {
            return;
        }

        ReplyKind kind = idUsed ? DnsWire.Classify(datagram, length, waiter.Question) : ReplyKind.OtherTransaction;
        if (kind != ReplyKind.Answer)
        {
            waiter.NoteFault(kind);
            return;
        }

        byte[] message = new byte[length];
        Buffer.BlockCopy(datagram, 0, message, 0, length);
        waiter.Reply.TrySetResult(UdpExchange.Answered(message));
    }

    /// <summary>The question waiting on this socket that is <paramref name="question"/> itself (its next attempt), if any.</summary>
    private Waiter? Waiting(byte[] question)
    {
        foreach (Waiter waiter in _waiting.Values)
        {
            if (ReferenceEquals(waiter.Question, question))
            {
                return waiter;
            }
        }

        return null;
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

    /// <summary>A random id that no question waits with and none of the last 16,384 used (their late answers are known as such).</summary>
    private ushort NewId()
    {
        while (true)
        {
            if (_randomNext >= _randomBytes.Length)
            {
                _random.GetBytes(_randomBytes);
                _randomNext = 0;
            }

            ushort id = (ushort)((_randomBytes[_randomNext] << 8) | _randomBytes[_randomNext + 1]);
            _randomNext += 2;
            if (!_waiting.ContainsKey(id) && !_retired.ContainsKey(id))
            {
                return id;
            }
        }
    }

    private void Retire(ushort id, byte[] question)
    {
        _waiting.Remove(id);
        if (_retiredOrder.Count == RecentIds)
        {
            _retired.Remove(_retiredOrder.Dequeue());
        }

        _retiredOrder.Enqueue(id);
        _retired[id] = question;
        if (_waiting.Count == 0 && _sweeping && !_disposed)
        {
            // Nothing waits: the timer sleeps until the next question.
            _sweeping = false;
            _sweep!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    private sealed class Waiter
    {
        // What the last datagram noted against this question was (no answer to it): 0 for none.
        private int _fault;

        public Waiter(byte[] question, long deadline)
        {
            Question = question;
            Deadline = deadline;
        }

        public byte[] Question { get; }

        /// <summary>When to stop waiting, in <see cref="Stopwatch"/> ticks.</summary>
        public long Deadline { get; }

        public TaskCompletionSource<UdpExchange> Reply { get; } = new TaskCompletionSource<UdpExchange>(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReplyKind? Fault => Volatile.Read(ref _fault) is int fault && fault > 0 ? (ReplyKind)(fault - 1) : null;

        public void NoteFault(ReplyKind kind) => Volatile.Write(ref _fault, (int)kind + 1);

        public void Cancel() => Reply.TrySetCanceled();
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

    public static UdpExchange TimedOut { get; } = new UdpExchange(UdpEnd.Timeout);

    public UdpEnd End { get; }

    /// <summary>The answer's datagram, when <see cref="End"/> is Answered.</summary>
    public byte[]? Message { get; }

    /// <summary>Why the server could not be reached, when <see cref="End"/> is Unreachable.</summary>
    public SocketError Error { get; }

    public bool IsFault => End == UdpEnd.OtherQuestion || End == UdpEnd.DoesNotParse || End == UdpEnd.OtherTransaction;

    public static UdpExchange Answered(byte[] message) => new UdpExchange(UdpEnd.Answered, message);

    public static UdpExchange Unreachable(SocketError error) => new UdpExchange(UdpEnd.Unreachable, error: error);

    public static UdpExchange Ended(UdpEnd end) => new UdpExchange(end);
}
