using System;
using System.Globalization;
using System.Linq;
using System.Net;

namespace ExchangeDiag.Dns;

/// <summary>A DNS server as given to -DnsServer: <c>host</c>, <c>host:port</c>, <c>v6</c> or <c>[v6]:port</c>.</summary>
public sealed class DnsServerAddress
{
    public const int DefaultPort = 53;

    private DnsServerAddress(string host, IPAddress? address, int port)
    {
        Host = host;
        Address = address;
        Port = port;
    }

    /// <summary>The host as given: an IP literal or a name still to resolve.</summary>
    public string Host { get; }

    /// <summary>The address when the host is an IP literal; null for a name.</summary>
    public IPAddress? Address { get; }

    public int Port { get; }

    /// <summary>Parses one -DnsServer value. Returns null and the reason when it is not valid.</summary>
    public static DnsServerAddress? TryParse(string? text, out string? error)
    {
        error = null;
        string value = (text ?? string.Empty).Trim();
        if (value.Length == 0)
        {
            error = Texts.Commands["DnsServer_Empty"];
            return null;
        }

        string host = value;
        string? portText = null;
        if (value.StartsWith("[", StringComparison.Ordinal))
        {
            int close = value.IndexOf(']');
            if (close < 0)
            {
                error = Texts.Commands["DnsServer_BracketOpen"];
                return null;
            }

            host = value.Substring(1, close - 1);
            string rest = value.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(":", StringComparison.Ordinal))
                {
                    error = Texts.Commands["DnsServer_AfterBracket"];
                    return null;
                }

                portText = rest.Substring(1);
            }

            if (!IPAddress.TryParse(host, out IPAddress? bracketed) || bracketed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = Texts.Commands.Format("DnsServer_NotIpv6", host);
                return null;
            }
        }
        else
        {
            int firstColon = value.IndexOf(':');
            int lastColon = value.LastIndexOf(':');
            if (firstColon >= 0 && firstColon == lastColon)
            {
                host = value.Substring(0, firstColon).Trim();
                portText = value.Substring(firstColon + 1).Trim();
            }
        }

        int port = DefaultPort;
        if (portText != null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535))
        {
            error = Texts.Commands.Format("DnsServer_BadPort", portText);
            return null;
        }

        // IPAddress.TryParse also takes old shorthands such as "1234", "127.1" or "0x7f.1".
        bool parsed = IPAddress.TryParse(host, out IPAddress? address);
        bool looksLikeIPv4 = host.All(c => char.IsDigit(c) || c == '.') || address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        if (looksLikeIPv4 && !IsDottedQuad(host))
        {
            error = Texts.Commands.Format("DnsServer_NotIpv4", host);
            return null;
        }

        if (parsed && address != null)
        {
            return new DnsServerAddress(address.ToString(), address, port);
        }

        if (host.IndexOf(':') >= 0)
        {
            error = Texts.Commands.Format("DnsServer_Ipv6NeedsBrackets", host);
            return null;
        }

        if (DomainName.Canonical(host) == "localhost")
        {
            return new DnsServerAddress("localhost", null, port);
        }

        string? name = DomainName.TryNormalize(host, out string? nameError);
        if (name == null)
        {
            error = Texts.Commands.Format("DnsServer_NotHost", host, nameError);
            return null;
        }

        return new DnsServerAddress(name, null, port);
    }

    private static bool IsDottedQuad(string text)
    {
        string[] parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length > 0 && p.Length <= 3 && p.All(char.IsDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    public override string ToString() => Address != null ? Format(Address, Port) : Port == DefaultPort ? Host : $"{Host}:{Port}";

    /// <summary>How messages name a server: "192.0.2.53", "192.0.2.53:5300", "[2001:db8::53]:5300".</summary>
    public static string Format(IPAddress address, int port)
    {
        string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return port == DefaultPort ? host : $"{host}:{port}";
    }
}
