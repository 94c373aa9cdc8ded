using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Faults;

/// <summary>
/// A hostile server on 127.0.0.1 for one connection: it runs a script against the client's
/// stream, bounded in time (the test's token ends it) and in bytes (each script counts what it sends).
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
    private readonly Task _serving;

    public FakeServer(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener.Start();
        _serving = ServeAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many bytes the script sent; the client read at most this many.</summary>
    public long Sent;

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>
    /// A server that sends <paramref name="greeting"/>, then answers each line the client sends with
    /// what <paramref name="reply"/> makes of it, and hangs up on null; ten lines at most.
    /// </summary>
    public static FakeServer Conversation(byte[] greeting, Func<string, byte[]?> reply) => new FakeServer(async (stream, token) =>
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
        await stream.WriteAsync(greeting, token);
        for (int i = 0; i < 10; i++)
        {
            string? line = await reader.ReadLineAsync(token);
            byte[]? answer = line == null ? null : reply(line);
            if (answer == null)
            {
                return;
            }

            await stream.WriteAsync(answer, token);
        }
    });

    /// <summary>Writes <paramref name="chunk"/> again and again, up to <paramref name="limit"/> bytes or until the client hangs up.</summary>
    public async Task RepeatAsync(Stream stream, byte[] chunk, long limit, CancellationToken cancellationToken)
    {
        try
        {
            while (Sent < limit)
            {
                await stream.WriteAsync(chunk, cancellationToken);
                Interlocked.Add(ref Sent, chunk.Length);
            }
        }
        catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
        {
            // The client stopped reading: what a cap is for.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (Exception)
        {
            // The script's own end does not matter to the test.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
        using NetworkStream stream = client.GetStream();
        await script(stream, _stop.Token);
    }
}
