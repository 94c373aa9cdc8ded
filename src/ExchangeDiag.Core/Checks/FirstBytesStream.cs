using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Checks;

/// <summary>
/// Passes reads and writes through to the stream it wraps and keeps the first bytes read, so that
/// a failed TLS handshake can tell what the server really sent. It does not own the inner stream.
/// </summary>
internal sealed class FirstBytesStream : Stream
{
    private const int Kept = 512;
    private readonly Stream _inner;
    private readonly byte[] _first = new byte[Kept];
    private int _count;

    public FirstBytesStream(Stream inner) => _inner = inner;

    /// <summary>The first bytes the server sent (at most 512).</summary>
    public byte[] Received
    {
        get
        {
            var copy = new byte[_count];
            Array.Copy(_first, copy, _count);
            return copy;
        }
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Keep(buffer, offset, _inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => Keep(buffer, offset, await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

#if NET
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        int keep = Math.Min(read, Kept - _count);
        if (keep > 0)
        {
            buffer.Span.Slice(0, keep).CopyTo(_first.AsSpan(_count));
            _count += keep;
        }

        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _inner.WriteAsync(buffer, cancellationToken);
#endif

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Keep(byte[] buffer, int offset, int read)
    {
        int keep = Math.Min(read, Kept - _count);
        if (keep > 0)
        {
            Array.Copy(buffer, offset, _first, _count, keep);
            _count += keep;
        }

        return read;
    }
}
