using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>Servers that reset or fall silent mid-conversation: each is a result, never an exception.</summary>
public class ResetTests
{
    private static DnsQuerier NoDns() => new DnsQuerier(new List<IPEndPoint> { new IPEndPoint(IPAddress.Loopback, 9) }, TimeSpan.FromSeconds(1), _ => { }, CancellationToken.None);

    [Fact]
    public async Task AResetRightAfterStartTlsIsAnErrorResult()
    {
        var server = new FakeServer(async (stream, token) =>
        {
            using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            await stream.WriteAsync(FakeServer.Ascii("220 reset.lab.test ESMTP\r\n"), token);
            await reader.ReadLineAsync(token);
            await stream.WriteAsync(FakeServer.Ascii("250-reset.lab.test\r\n250 STARTTLS\r\n"), token);
            await reader.ReadLineAsync(token);
            await stream.WriteAsync(FakeServer.Ascii("220 2.0.0 go ahead\r\n"), token);
            await stream.WriteAsync(FakeServer.Ascii("\x15\x03\x01\x00\x02\x02\x28"), token);   // a TLS alert, then the end
        });
        await using (server)
        {
            CertificateResult result = await CertificateCheck.RunAsync("127.0.0.1", server.Port, StartTlsMode.Smtp, 30, NoDns(), TimeSpan.FromSeconds(5), CancellationToken.None);

            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.NotEqual(DiagnosticCause.None, result.Cause);
        }
    }

    [Fact]
    public async Task ASilentSmtpServerEndsWithinTheTimeoutAsAnErrorResult()
    {
        var server = new FakeServer(async (stream, token) => await Task.Delay(TimeSpan.FromSeconds(15), token));
        await using (server)
        {
            var request = new SmtpSendRequest("127.0.0.1", server.Port, new NetworkCredential("a@post.lab.test", "x"), "a@post.lab.test", "a@post.lab.test") { Security = MailSecurity.Auto };
            var clock = Stopwatch.StartNew();

            SmtpSendResult result = await SmtpSendCheck.RunAsync(request, NoDns(), TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task ASilentImapServerEndsWithinTheTimeoutAsAnErrorResult()
    {
        var server = new FakeServer(async (stream, token) => await Task.Delay(TimeSpan.FromSeconds(15), token));
        await using (server)
        {
            var clock = Stopwatch.StartNew();

            ImapLoginResult result = await ImapLoginCheck.RunAsync("127.0.0.1", server.Port, MailSecurity.Auto, new NetworkCredential("a@post.lab.test", "x"), false, NoDns(), TimeSpan.FromSeconds(2), CancellationToken.None);

            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task AnExceptionNoCheckForesawBecomesThatChecksResult()
    {
        MxCheckResult result = await CheckGuard.RunAsync<MxCheckResult>(
            () => throw new InvalidOperationException("bad state\u0000" + new string('A', 5000) + "\nsecond line"),
            () => new MxCheckResult("post.lab.test"),
            CancellationToken.None);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal(DiagnosticCause.CheckFailed, result.Cause);
        Assert.Contains("InvalidOperationException", result.Steps.Single().Detail);
        Assert.DoesNotContain('\u0000', result.Message);
        Assert.DoesNotContain("second line", result.Message);
        Assert.True(result.Message.Length < 700, result.Message);
    }

    [Fact]
    public async Task CtrlCStillStopsAGuardedCheck()
    {
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CheckGuard.RunAsync<MxCheckResult>(
            () => throw new OperationCanceledException(stop.Token), () => new MxCheckResult("post.lab.test"), stop.Token));
    }
}
