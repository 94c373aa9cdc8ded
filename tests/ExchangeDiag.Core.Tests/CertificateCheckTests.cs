using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Tests;

public class CertificateCheckTests
{
    [Theory]
    [InlineData(25, StartTlsMode.Smtp)]
    [InlineData(587, StartTlsMode.Smtp)]
    [InlineData(143, StartTlsMode.Imap)]
    [InlineData(110, StartTlsMode.Pop)]
    [InlineData(443, StartTlsMode.None)]
    [InlineData(465, StartTlsMode.None)]
    [InlineData(993, StartTlsMode.None)]
    [InlineData(995, StartTlsMode.None)]
    public void The_ports_that_start_in_clear_text_are_upgraded_by_default(int port, StartTlsMode expected)
        => Assert.Equal(expected, CertificateCheck.DefaultStartTls(port));

    [Theory]
    [InlineData("220 mail.contoso.com ESMTP Postfix\r\n", "220 mail.contoso.com ESMTP Postfix", "Certificate_PlainText_Smtp_Remediation")]
    [InlineData("* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n", "* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.", "Certificate_PlainText_Imap_Remediation")]
    [InlineData("+OK POP3 ready\r\n", "+OK POP3 ready", "Certificate_PlainText_Pop_Remediation")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 400 Bad Request", "Certificate_PlainText_Http_Remediation")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", "SSH-2.0-OpenSSH_9.6", "Certificate_PlainText_Remediation")]
    public void A_greeting_in_clear_text_is_quoted_and_names_its_fix(string sent, string quoted, string remediation)
    {
        string? answer = CertificateCheck.PlainTextAnswer(Encoding.ASCII.GetBytes(sent));
        Assert.Equal(quoted, answer);
        Assert.Equal(remediation, CertificateCheck.PlainTextRemediation(answer!));
    }

    [Fact]
    public void A_tls_record_or_nothing_is_not_plain_text()
    {
        // A TLS alert record: content type 21, version 3.3.
        Assert.Null(CertificateCheck.PlainTextAnswer(new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 }));
        Assert.Null(CertificateCheck.PlainTextAnswer(Array.Empty<byte>()));
        Assert.Null(CertificateCheck.PlainTextAnswer(new byte[] { (byte)'A', 0x00, 0x01 }));
    }

    [Fact]
    public async Task Pop_asks_for_STLS_and_reports_the_refusal_in_the_servers_words()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var heard = new List<string>();
        Task server = Task.Run(async () =>
        {
            using TcpClient client = await listener.AcceptTcpClientAsync();
            using NetworkStream stream = client.GetStream();
            byte[] greeting = Encoding.ASCII.GetBytes("+OK POP3 ready\r\n");
            await stream.WriteAsync(greeting, 0, greeting.Length);
            heard.Add(await LineProtocol.ReadReplyAsync(stream, false, null, CancellationToken.None));
            byte[] refusal = Encoding.ASCII.GetBytes("-ERR TLS not available\r\n");
            await stream.WriteAsync(refusal, 0, refusal.Length);
        });

        using var dns = new DnsQuerier(new[] { new IPEndPoint(IPAddress.Loopback, 53) }, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        try
        {
            CertificateResult result = await CertificateCheck.RunAsync("127.0.0.1", port, StartTlsMode.Pop, 30, dns, TimeSpan.FromSeconds(10), CancellationToken.None);
            await server;
            Assert.Equal(new[] { "STLS\r\n" }, heard);
            Assert.Equal(CheckStatus.Failed, result.Status);
            Assert.Equal("STLS answered -ERR TLS not available", result.Steps.Single(s => s.Name == "STARTTLS").Detail);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_refused_connection_quotes_the_socket_error_in_French_and_keeps_the_trace_English()
    {
        // A port that was just free: nothing listens there, so the connection is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var dns = new DnsQuerier(new[] { new IPEndPoint(IPAddress.Loopback, 53) }, TimeSpan.FromSeconds(5), null, CancellationToken.None);
        System.Globalization.CultureInfo before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo("fr-FR");
            CertificateResult result = await CertificateCheck.RunAsync("127.0.0.1", port, StartTlsMode.None, 30, dns, TimeSpan.FromSeconds(10), CancellationToken.None);
            Assert.Equal(DiagnosticCause.Unreachable, result.Cause);
            Assert.Contains("connexion impossible à 127.0.0.1 : « ConnectionRefused »", result.Message);
            Assert.Equal("could not connect to 127.0.0.1: ConnectionRefused", result.Steps.Single(s => s.Name.StartsWith("TCP ", StringComparison.Ordinal)).Detail);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
