using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using Xunit;

namespace ExchangeDiag.Faults;

public class LineCapTests
{
    private static async Task<(Exception? Error, string? Reply, long Sent)> ReadFromAsync(byte[] prefix, byte[] repeated, long limit, bool smtp = true)
    {
        FakeServer? server = null;
        server = new FakeServer(async (stream, token) =>
        {
            await stream.WriteAsync(prefix, token);
            await server!.RepeatAsync(stream, repeated, limit, token);
        });
        await using (server)
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", server.Port);
            using NetworkStream stream = client.GetStream();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                string reply = await LineProtocol.ReadReplyAsync(stream, smtp, null, deadline.Token);
                return (null, reply, server.Sent);
            }
            catch (Exception ex)
            {
                return (ex, null, server.Sent);
            }
        }
    }

    [Fact]
    public async Task AnEndlessLineStopsAtTheLineCap()
    {
        var (error, _, _) = await ReadFromAsync(FakeServer.Ascii("220 "), FakeServer.Ascii(new string('A', 4096)), 4 * 1024 * 1024);

        var tooLong = Assert.IsType<AnswerTooLongException>(error);
        Assert.Contains("line longer than 8 KiB", tooLong.Message);
    }

    [Fact]
    public async Task AnEndlessMultiLineReplyStopsAtTheReplyCap()
    {
        // Short lines, each within the line cap: only the reply cap can stop this one.
        var (error, _, _) = await ReadFromAsync(FakeServer.Ascii("220-hello\r\n"), FakeServer.Ascii("250-" + new string('x', 60) + "\r\n"), 4 * 1024 * 1024);

        var tooLong = Assert.IsType<AnswerTooLongException>(error);
        Assert.Contains("reply longer than 64 KiB", tooLong.Message);
    }

    [Fact]
    public async Task AnEndlessImapGreetingLineStopsAtTheLineCap()
    {
        var (error, _, _) = await ReadFromAsync(FakeServer.Ascii("* OK "), new byte[4096], 4 * 1024 * 1024, smtp: false);

        Assert.IsType<AnswerTooLongException>(error);
    }

    [Fact]
    public async Task ANormalMultiLineReplyIsReadWhole()
    {
        var (error, reply, _) = await ReadFromAsync(FakeServer.Ascii("250-one\r\n250-two\r\n250 three\r\n"), FakeServer.Ascii("NOOP"), 0);

        Assert.Null(error);
        Assert.Equal("250-one\r\n250-two\r\n250 three\r\n", reply);
    }
}
