using System.Net;
using System.Net.Sockets;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Tests;

public class DnsServerAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData(" 127.0.0.1 ", "127.0.0.1", 53)]
    [InlineData("127.0.0.1:5300", "127.0.0.1", 5300)]
    [InlineData("192.0.2.53:1", "192.0.2.53", 1)]
    [InlineData("192.0.2.53:65535", "192.0.2.53", 65535)]
    [InlineData("192.0.2.53 : 5300", "192.0.2.53", 5300)]
    public void TryParse_reads_an_IPv4_address_and_optional_port(string text, string address, int port)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out string? error);

        Assert.NotNull(server);
        Assert.Null(error);
        Assert.Equal(IPAddress.Parse(address), server.Address);
        Assert.Equal(AddressFamily.InterNetwork, server.Address!.AddressFamily);
        Assert.Equal(address, server.Host);
        Assert.Equal(port, server.Port);
    }

    [Theory]
    [InlineData("::1", "::1", 53)]
    [InlineData("[::1]:5300", "::1", 5300)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 53)]
    [InlineData("[2001:db8::1]:53", "2001:db8::1", 53)]
    [InlineData("2001:db8::1", "2001:db8::1", 53)]
    public void TryParse_reads_an_IPv6_address_bare_or_in_brackets(string text, string address, int port)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out string? error);

        Assert.NotNull(server);
        Assert.Null(error);
        Assert.Equal(IPAddress.Parse(address), server.Address);
        Assert.Equal(AddressFamily.InterNetworkV6, server.Address!.AddressFamily);
        Assert.Equal(address, server.Host);
        Assert.Equal(port, server.Port);
    }

    [Theory]
    [InlineData("dns.example.com:5353", "dns.example.com", 5353)]
    [InlineData("dns.example.com", "dns.example.com", 53)]
    [InlineData("DNS.Example.COM.", "dns.example.com", 53)]
    [InlineData("localhost", "localhost", 53)]
    [InlineData("localhost:5300", "localhost", 5300)]
    [InlineData("localhost.:5300", "localhost", 5300)]
    public void TryParse_keeps_a_host_name_to_resolve_later(string text, string host, int port)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out string? error);

        Assert.NotNull(server);
        Assert.Null(error);
        Assert.Null(server.Address);
        Assert.Equal(host, server.Host);
        Assert.Equal(port, server.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:abc")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:-53")]
    [InlineData("127.0.0.1:+53")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[::1]:")]
    [InlineData("[::1]:0")]
    [InlineData("[127.0.0.1]:53")]
    [InlineData("[dns.example.com]:53")]
    [InlineData("not a host!")]
    [InlineData("dns.example.com:5353:1")]
    [InlineData("2001:db8::zz")]
    [InlineData("1234")]
    [InlineData("127.1")]
    [InlineData("0x7f.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    public void TryParse_rejects_invalid_values_with_a_reason(string text)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out string? error);

        Assert.Null(server);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_rejects_null()
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(null, out string? error);

        Assert.Null(server);
        Assert.Equal("it is empty", error);
    }

    [Theory]
    [InlineData("127.0.0.1:0", "'0'")]
    [InlineData("127.0.0.1:70000", "'70000'")]
    [InlineData("[::1", "not closed")]
    [InlineData("[::1]x", "':port'")]
    [InlineData("[127.0.0.1]:53", "not an IPv6 address")]
    [InlineData("not a host!", "'not a host!'")]
    public void TryParse_error_names_the_problem(string text, string fragment)
    {
        DnsServerAddress.TryParse(text, out string? error);

        Assert.NotNull(error);
        Assert.Contains(fragment, error);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:5300")]
    [InlineData("[::1]:5300")]
    [InlineData("[2001:db8::1]:8053")]
    [InlineData("dns.example.com:5353")]
    [InlineData("dns.example.com")]
    [InlineData("localhost:5300")]
    public void ToString_round_trips(string text)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out _);

        Assert.NotNull(server);
        Assert.Equal(text, server.ToString());
    }

    [Theory]
    [InlineData("::1", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("[::1]:53", "[::1]")]
    [InlineData("127.0.0.1:53", "127.0.0.1")]
    [InlineData("DNS.Example.com.:5353", "dns.example.com:5353")]
    public void ToString_gives_the_canonical_form(string text, string expected)
    {
        DnsServerAddress? server = DnsServerAddress.TryParse(text, out _);

        Assert.NotNull(server);
        Assert.Equal(expected, server.ToString());
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("[2001:db8::1]:5300")]
    [InlineData("192.0.2.1:5300")]
    [InlineData("dns.example.com:5353")]
    public void ToString_parses_back_to_the_same_server(string text)
    {
        DnsServerAddress first = DnsServerAddress.TryParse(text, out _)!;

        DnsServerAddress? second = DnsServerAddress.TryParse(first.ToString(), out string? error);

        Assert.NotNull(second);
        Assert.Null(error);
        Assert.Equal(first.Host, second.Host);
        Assert.Equal(first.Address, second.Address);
        Assert.Equal(first.Port, second.Port);
    }
}
