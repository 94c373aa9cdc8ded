using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>A server that repeats what the client sent, the login included, in its refusal.</summary>
public class EchoedSecretTests
{
    private const string User = "healthy@post.lab.test";
    private const string Password = "Correct-Horse-1";

    private static IEnumerable<string> SecretForms()
    {
        yield return Password;
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)).TrimEnd('=');
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{Password}")).TrimEnd('=');
    }

    /// <summary>Every text a user or a report can see of the result.</summary>
    private static string Visible(SmtpSendResult result)
        => string.Join("\n", new[] { result.ToString(), result.Message, result.Remediation ?? string.Empty, result.ServerReply?.ToString() ?? string.Empty }
            .Concat(result.Steps.Select(s => s.ToString())));

    [Fact]
    public async Task AnSmtpServerEchoingTheAuthLineLeavesNoPasswordInTheResult()
    {
        var said = new StringBuilder();
        var server = FakeServer.Conversation(FakeServer.Ascii("220 echo.lab.test ESMTP\r\n"), line =>
        {
            said.AppendLine(line);
            return line.StartsWith("EHLO", StringComparison.OrdinalIgnoreCase) ? FakeServer.Ascii("250-echo.lab.test\r\n250 AUTH PLAIN LOGIN\r\n")
                : line.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase) ? FakeServer.Ascii($"535 5.7.8 Authentication failed for {line} (password {Password})\r\n")
                : null;
        });
        await using (server)
        {
            using var dns = new DnsQuerier(new List<IPEndPoint> { new IPEndPoint(IPAddress.Loopback, 9) }, TimeSpan.FromSeconds(1), _ => { }, CancellationToken.None);
            var credential = new NetworkCredential(User, Password);
            var request = new SmtpSendRequest("127.0.0.1", server.Port, credential, User, User) { Security = MailSecurity.Auto, AllowUnencryptedAuth = true };
            SmtpSendResult result = await SmtpSendCheck.RunAsync(request, dns, TimeSpan.FromSeconds(10), CancellationToken.None);
            var secrets = new SecretRedactor();
            secrets.Add(credential);

            Assert.Contains("AUTH PLAIN", said.ToString());
            Assert.Contains(Password, Visible(result));   // the server did echo it: the test is real
            secrets.Clean(result);

            string visible = Visible(result);
            Assert.Equal(CheckStatus.Failed, result.Status);
            Assert.Contains(SecretRedactor.Mask, visible);
            foreach (string form in SecretForms())
            {
                Assert.DoesNotContain(form, visible);
            }
        }
    }
}
