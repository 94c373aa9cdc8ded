using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>Binary, escape codes and endless answers from a mail server: bounded, printable results.</summary>
public class ServerTextTests
{
    private const string User = "healthy@post.lab.test";

    private static DnsQuerier NoDns() => new DnsQuerier(new List<IPEndPoint> { new IPEndPoint(IPAddress.Loopback, 9) }, TimeSpan.FromSeconds(1), _ => { }, CancellationToken.None);

    /// <summary>NUL, a terminal escape that clears the screen, a right-to-left override, then 64 KB of random bytes without a line end.</summary>
    private static byte[] Hostile(string prefix)
    {
        var binary = new byte[64 * 1024];
        new Random(15).NextBytes(binary);
        for (int i = 0; i < binary.Length; i++)
        {
            if (binary[i] == '\r' || binary[i] == '\n')
            {
                binary[i] = 0;
            }
        }

        byte[] head = Encoding.UTF8.GetBytes(prefix + "mail\0\u001b[2J\u001b]0;owned\u0007\u202Etxt.exe ");
        return head.Concat(binary).Concat(FakeServer.Ascii("\r\n")).ToArray();
    }

    private static void AssertPrintable(IEnumerable<string?> texts)
    {
        foreach (string text in texts.Where(t => t != null).Select(t => t!))
        {
            Assert.True(text.Length <= ServerText.MaxLength + 1, $"{text.Length} characters kept");
            char bad = text.FirstOrDefault(c => (char.IsControl(c) && c != '\r' && c != '\n' && c != '\t') || c == '\u202E');
            Assert.True(bad == default, $"U+{(int)bad:X4} in: {text.Substring(0, Math.Min(120, text.Length))}");
        }
    }

    [Fact]
    public async Task ABinarySmtpGreetingAndRefusalArePrintableAndBounded()
    {
        var server = FakeServer.Conversation(Hostile("220 "), line =>
            line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase) ? FakeServer.Ascii("250-mail\r\n250 AUTH PLAIN\r\n")
            : line.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase) ? Hostile("535 5.7.8 ")
            : null);
        await using (server)
        {
            var request = new SmtpSendRequest("127.0.0.1", server.Port, new NetworkCredential(User, "x"), User, User) { Security = MailSecurity.Auto, AllowUnencryptedAuth = true };
            SmtpSendResult result = await SmtpSendCheck.RunAsync(request, NoDns(), TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.Contains('\0', result.ServerBanner ?? string.Empty);   // the server's bytes did arrive: the test is real
            new SecretRedactor().Clean(result);

            Assert.Equal(CheckStatus.Failed, result.Status);
            Assert.Contains("\\x00\\x1B[2J", result.ServerBanner);
            AssertPrintable(new[] { result.Message, result.ServerBanner, result.ServerReply?.Text, result.Observed }.Concat(result.Steps.Select(s => s.Detail)));
        }
    }

    [Fact]
    public async Task ABinaryImapGreetingIsPrintableAndBounded()
    {
        var server = FakeServer.Conversation(Hostile("* OK "), line =>
        {
            string tag = line.Split(' ')[0];
            return FakeServer.Ascii(line.Contains("CAPABILITY", StringComparison.OrdinalIgnoreCase)
                ? $"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK done\r\n"
                : $"{tag} NO [AUTHENTICATIONFAILED] no\r\n");
        });
        await using (server)
        {
            ImapLoginResult result = await ImapLoginCheck.RunAsync("127.0.0.1", server.Port, MailSecurity.Auto, new NetworkCredential(User, "x"), false, NoDns(), TimeSpan.FromSeconds(10), CancellationToken.None);
            new SecretRedactor().Clean(result);

            Assert.NotNull(result.Greeting);
            Assert.Contains("\\x00", result.Greeting);
            AssertPrintable(new[] { result.Message, result.Greeting, result.ServerReply }.Concat(result.Steps.Select(s => s.Detail)).Concat(result.Capabilities));
        }
    }

    public static TheoryData<string, string> Endless() => new TheoryData<string, string>
    {
        { "an endless multi-line SMTP greeting", "220-" },
        { "an endless IMAP greeting line", "* OK " },
    };

    [Theory]
    [MemberData(nameof(Endless))]
    public async Task MailKitReadsAtMostTheSessionCap(string fault, string prefix)
    {
        FakeServer? server = null;
        server = new FakeServer(async (stream, token) =>
        {
            await stream.WriteAsync(FakeServer.Ascii(prefix), token);
            byte[] chunk = FakeServer.Ascii(prefix.StartsWith("220", StringComparison.Ordinal) ? "220-" + new string('x', 60) + "\r\n" : new string('A', 4096));
            await server!.RepeatAsync(stream, chunk, 64L * 1024 * 1024, token);
        });
        await using (server)
        {
            var clock = Stopwatch.StartNew();
            CheckResult result = prefix.StartsWith("220", StringComparison.Ordinal)
                ? await SmtpSendCheck.RunAsync(new SmtpSendRequest("127.0.0.1", server.Port, new NetworkCredential(User, "x"), User, User) { Security = MailSecurity.Auto }, NoDns(), TimeSpan.FromSeconds(10), CancellationToken.None)
                : await ImapLoginCheck.RunAsync("127.0.0.1", server.Port, MailSecurity.Auto, new NetworkCredential(User, "x"), false, NoDns(), TimeSpan.FromSeconds(10), CancellationToken.None);

            Assert.True(result.Status == CheckStatus.Error, $"{fault}: {result}");
            Assert.Equal(DiagnosticCause.ServerError, result.Cause);
            Assert.Contains("more than 1 MiB", result.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"{fault}: {clock.Elapsed}");
            Assert.True(server.Sent < 8L * 1024 * 1024, $"{fault}: the server sent {server.Sent} bytes before the client stopped");
        }
    }
}
