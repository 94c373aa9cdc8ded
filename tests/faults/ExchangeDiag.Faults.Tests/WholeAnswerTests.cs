using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Diagnosis;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;
using ExchangeDiag.Ovh;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>Faults met in the middle of a whole conversation: the result still says what happened.</summary>
public class WholeAnswerTests
{
    [Fact]
    public async Task InboundSmtpStopsAtTheReplyCapInsteadOfReportingThatTheMxAcceptsMail()
    {
        // The MX host answers EHLO with an endless 250- reply; reading past the cap would pair the
        // next replies with the wrong commands (the tail of the 250- lines would "accept" RCPT TO).
        FakeServer? smtp = null;
        smtp = new FakeServer(async (stream, token) =>
        {
            using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            await stream.WriteAsync(FakeServer.Ascii("220 mx.faults.test ESMTP\r\n"), token);
            await reader.ReadLineAsync(token);
            await smtp!.RepeatAsync(stream, FakeServer.Ascii("250-" + new string('x', 60) + "\r\n"), 16L * 1024 * 1024, token);
        });
        await using (smtp)
        await using (var dns = new FakeDnsServer(query => FakeDnsServer.QuestionType(query) == 15
            ? FakeDnsServer.MxReply(query, FakeDnsServer.QuestionName(query), "mx.faults.test")
            : FakeDnsServer.AddressReply(query, IPAddress.Loopback)))
        {
            using var querier = new DnsQuerier(new List<IPEndPoint> { dns.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);

            InboundSmtpResult result = await InboundSmtpCheck.RunAsync("faults.test", "someone@faults.test", smtp.Port, deliver: false, querier, TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.True(result.Status == CheckStatus.Error, result.ToString());
            Assert.Equal(DiagnosticCause.ServerError, result.Cause);
            Assert.Contains("64 KiB", result.Message);
            Assert.True(smtp.Sent < 4L * 1024 * 1024, $"the server sent {smtp.Sent} bytes before the client stopped");
        }
    }

    public static TheoryData<string, Func<byte[], byte[]>, DiagnosticCause> BrokenDns() => new TheoryData<string, Func<byte[], byte[]>, DiagnosticCause>
    {
        // A header cut short: no resolver passes that on, so the server asked (or the path) is at fault.
        { "every answer malformed", query => new[] { query[0], query[1], (byte)0x81, (byte)0x80, (byte)0 }, DiagnosticCause.LocalDnsFailure },
        // SERVFAIL for the domain: its own name servers fail; the resolver is fine.
        { "SERVFAIL for the domain", query => FakeDnsServer.ServerFailure(query), DiagnosticCause.DnsUnavailable },
    };

    [Theory]
    [MemberData(nameof(BrokenDns))]
    public async Task TheDiagnosisBlamesDnsNotTheMailboxWhenDnsCannotAnswer(string fault, Func<byte[], byte[]> reply, DiagnosticCause cause)
    {
        await using var dns = new FakeDnsServer(reply);
        using var querier = new DnsQuerier(new List<IPEndPoint> { dns.EndPoint }, TimeSpan.FromSeconds(2), _ => { }, CancellationToken.None);
        var request = new DiagnosisRequest("healthy@faults.test", new NetworkCredential("healthy@faults.test", "Sup3r-Secret pass")) { Timeout = TimeSpan.FromSeconds(3) };

        DiagnosticReport report = await MailboxDiagnosis.RunAsync(request, querier, _ => { }, _ => { }, CancellationToken.None);

        string told = report.Verdict + "\n" + string.Join("\n", report.Results.Select(r => r + "\n    " + string.Join("\n    ", r.Steps)));
        Assert.True(report.Status == CheckStatus.Error, $"{fault}: {told}");
        Assert.True(report.Causes.Count == 1 && report.Causes[0].Cause == cause, $"{fault}: {string.Join(", ", report.Causes.Select(c => c.Cause))}\n{told}");
        // A check that failed for want of DNS (Autodiscover) is explained by it, not a finding of its own.
        Assert.All(report.Results.Where(r => r.Status == CheckStatus.Failed), r => Assert.Equal(cause, r.ExplainedBy));
    }

    [Fact]
    public async Task AnEndlessOvhApiBodyEndsAsABadAnswerAfterOneMiB()
    {
        var handler = new EndlessBodyHandler();
        var credentials = new OvhCredentials(new Uri("https://127.0.0.1:9/1.0"), "key", Secure("secret"), Secure("consumer"), "test");
        using var client = new OvhClient(credentials, new OvhRetryPolicy(0), handler);

        var error = await Assert.ThrowsAsync<OvhApiException>(() => client.FindAccountAsync("healthy@faults.test", null, null, CancellationToken.None));

        Assert.Equal(OvhFailure.BadAnswer, error.Failure);
        Assert.Contains("more than 1 MiB", error.Message);
        Assert.True(handler.Served < 8L * 1024 * 1024, $"{handler.Served} bytes read");
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    /// <summary>Answers /auth/time with the time, anything else with a JSON array that never ends.</summary>
    private sealed class EndlessBodyHandler : HttpMessageHandler
    {
        public long Served => _body?.Served ?? 0;

        private EndlessStream? _body;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/auth/time", StringComparison.Ordinal))
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)) });
            }

            _body = new EndlessStream();
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(_body) });
        }
    }

    /// <summary>"[" then "1," for ever, up to 64 MiB.</summary>
    private sealed class EndlessStream : Stream
    {
        public long Served;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Served >= 64L * 1024 * 1024)
            {
                return 0;
            }

            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = Served + i == 0 ? (byte)'[' : (i % 2 == 0 ? (byte)'1' : (byte)',');
            }

            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
