using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>
/// The allocation figure of a test is process-wide: the tests that measure it run alone, or the
/// other fault tests' servers would be counted in it.
/// </summary>
[CollectionDefinition(nameof(AllocationMeasured), DisableParallelization = true)]
public sealed class AllocationMeasured
{
}

[Collection(nameof(AllocationMeasured))]
public class BodyCapTests
{
    private static readonly NetworkCredential Credential = new NetworkCredential("user@faults.test", "Sup3r-Secret pass");

    private static async Task<(EwsLoginResult Result, long Sent)> EwsLoginAgainstAsync(string headers, byte[] repeated, long limit)
    {
        FakeServer? server = null;
        server = new FakeServer(async (stream, token) =>
        {
            // Read the request's head, then answer with the hostile body.
            var buffer = new byte[64 * 1024];
            // The head is all the test needs to wait for; its length does not matter.
            _ = await stream.ReadAtLeastAsync(buffer, 1, throwOnEndOfStream: false, token);
            await stream.WriteAsync(FakeServer.Ascii(headers), token);
            await server!.RepeatAsync(stream, repeated, limit, token);
        });
        await using (server)
        {
            using var dns = new DnsQuerier(new List<IPEndPoint> { new IPEndPoint(IPAddress.Loopback, 9) }, TimeSpan.FromSeconds(1), _ => { }, CancellationToken.None);
            using var http = new HttpSession(dns, skipCertificateCheck: false, _ => { });
            var url = new Uri($"http://127.0.0.1:{server.Port}/EWS/Exchange.asmx");
            EwsLoginResult result = await EwsLoginCheck.RunAsync(url, Credential, http, TimeSpan.FromSeconds(15), CancellationToken.None);
            return (result, server.Sent);
        }
    }

    [Fact]
    public async Task AnEndlessChunkedBodyEndsAsAnErrorAfterOneMiB()
    {
        byte[] chunk = FakeServer.Ascii("4000\r\n" + new string('<', 0x4000) + "\r\n");
        long before = GC.GetTotalAllocatedBytes(precise: false);
        var (result, _) = await EwsLoginAgainstAsync("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n", chunk, 64L * 1024 * 1024);
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("more than 1 MiB", result.Message);
        // Generous: the cap is 1 MiB, the server offered 64 MiB; buffering it all took gigabytes.
        Assert.True(allocated < 48L * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task ADeclaredLengthOverTheCapEndsAtOnce()
    {
        var (result, sent) = await EwsLoginAgainstAsync("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 314572800\r\n\r\n", new byte[16 * 1024], 8L * 1024 * 1024);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("more than 1 MiB", result.Message);
    }

    [Fact]
    public async Task ANormalBodyIsStillRead()
    {
        const string body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>";
        var (result, _) = await EwsLoginAgainstAsync($"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}", Array.Empty<byte>(), 0);

        Assert.DoesNotContain("more than 1 MiB", result.Message);
        Assert.NotEqual(DiagnosticCause.Unreachable, result.Cause);
    }
}
