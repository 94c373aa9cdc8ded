using System;
using System.Collections.Generic;

namespace ExchangeDiag;

/// <summary>How Test-ExchangeCertificate reaches TLS on a port.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum StartTlsMode
{
    /// <summary>TLS from the first byte (HTTPS 443, IMAPS 993, SMTPS 465).</summary>
    None,

    /// <summary>SMTP, then STARTTLS (submission 587, relay 25).</summary>
    Smtp,

    /// <summary>IMAP, then STARTTLS (143).</summary>
    Imap,

    /// <summary>POP3, then STLS (110).</summary>
    Pop,
}

/// <summary>Result of Test-ExchangeCertificate for one server and port.</summary>
public sealed class CertificateResult : CheckResult
{
    internal CertificateResult(string server, int port, StartTlsMode startTls)
        : base("Certificate", $"{server}:{port}")
    {
        Server = server;
        Port = port;
        StartTls = startTls;
    }

    public string Server { get; }

    public int Port { get; }

    public StartTlsMode StartTls { get; }

    public string? Subject { get; internal set; }

    public IReadOnlyList<string> DnsNames { get; internal set; } = Array.Empty<string>();

    public string? Issuer { get; internal set; }

    public DateTime? NotBefore { get; internal set; }

    public DateTime? NotAfter { get; internal set; }

    public int? DaysUntilExpiry { get; internal set; }

    public bool? NameMatches { get; internal set; }

    public bool? ChainValid { get; internal set; }

    /// <summary>The TLS version negotiated, such as Tls13.</summary>
    public string? Protocol { get; internal set; }

    internal void Record(CertificateInfo info)
    {
        Subject = info.Subject;
        DnsNames = new SummaryList<string>(info.DnsNames);
        Issuer = info.Issuer;
        NotBefore = info.NotBefore;
        NotAfter = info.NotAfter;
        DaysUntilExpiry = info.DaysUntilExpiry;
        NameMatches = info.NameMatches;
        ChainValid = info.ChainValid;
    }

    /// <summary>The names come from the certificate the server chose to present.</summary>
    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Subject = CleanOrNull(Subject, clean);
        Issuer = CleanOrNull(Issuer, clean);
        DnsNames = new SummaryList<string>(System.Linq.Enumerable.Select(DnsNames, clean));
    }
}
