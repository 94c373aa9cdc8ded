using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Mail;

/// <summary>
/// The connection under a MailKit client, ending the session once the server has sent more than
/// <see cref="MaxSessionLength"/> bytes in all. MailKit reads a reply, a line or an IMAP token
/// without a limit of its own (an endless "250-" reply cost 0.9 GB), and after STARTTLS the bytes
/// are encrypted, so the cap counts what crosses the socket: every line and every reply is
/// bounded by it, whatever the protocol state.
/// </summary>
internal sealed class SessionCappedStream : Stream
{
    /// <summary>
    /// 1 MiB: a login, a submission or the mail flow's search for one token reads a few KiB;
    /// only a hostile or broken server sends more.
    /// </summary>
    public const int MaxSessionLength = 1024 * 1024;

    private readonly Stream _inner;
    private long _received;

    public SessionCappedStream(Stream inner) => _inner = inner;

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override bool CanTimeout => _inner.CanTimeout;

    public override int ReadTimeout
    {
        get => _inner.ReadTimeout;
        set => _inner.ReadTimeout = value;
    }

    public override int WriteTimeout
    {
        get => _inner.WriteTimeout;
        set => _inner.WriteTimeout = value;
    }

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Counted(await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

#if NET
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Counted(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
#endif

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => _inner.WriteAsync(buffer, offset, count, cancellationToken);

#if NET
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        => _inner.WriteAsync(buffer, cancellationToken);
#endif

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read)
    {
        _received += read;
        if (_received > MaxSessionLength)
        {
            throw new AnswerTooLongException(new Phrase(Texts.Messages, "TooLong_Session", MaxSessionLength / (1024 * 1024)));
        }

        return read;
    }
}
