using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeDiag;

/// <summary>What a server's TLS certificate says, and whether it can be trusted for the name asked.</summary>
public sealed class CertificateInfo
{
    // Chain problems that mean "could not learn the revocation status", not "revoked".
    private const X509ChainStatusFlags RevocationUnknown = X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    // Dates are reported on their own (expired, not yet valid); the chain text leaves them out.
    private const X509ChainStatusFlags TimeProblems = X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested;

    private readonly X509ChainStatusFlags _flags;

    internal CertificateInfo(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors errors, DateTime now)
    {
        Subject = certificate.Subject;
        Issuer = certificate.Issuer;
        DnsNames = ReadDnsNames(certificate);
        NotBefore = certificate.NotBefore.ToUniversalTime();
        NotAfter = certificate.NotAfter.ToUniversalTime();
        DaysUntilExpiry = (int)Math.Floor((NotAfter - now).TotalDays);
        Thumbprint = certificate.Thumbprint;
        NameMatches = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0;

        X509ChainStatusFlags flags = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status) ?? X509ChainStatusFlags.NoError;
        _flags = flags;
        IsRevoked = (flags & X509ChainStatusFlags.Revoked) != 0;
        RevocationUnknownOnly = (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && flags != X509ChainStatusFlags.NoError && (flags & ~RevocationUnknown) == 0;
        ChainValid = (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0 || RevocationUnknownOnly;
        ChainStatus = flags == X509ChainStatusFlags.NoError ? "NoError" : flags.ToString();
    }

    public string Subject { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public string Issuer { get; }

    public DateTime NotBefore { get; }

    public DateTime NotAfter { get; }

    public int DaysUntilExpiry { get; }

    public string Thumbprint { get; }

    /// <summary>The certificate names the host that was asked for.</summary>
    public bool NameMatches { get; }

    /// <summary>The chain leads to a trusted root and nothing in it is revoked or out of date.</summary>
    public bool ChainValid { get; }

    public bool IsRevoked { get; }

    /// <summary>The chain's only problem is that revocation could not be checked (soft-fail, as browsers do).</summary>
    public bool RevocationUnknownOnly { get; }

    /// <summary>The chain status flags, "NoError" when the chain built cleanly.</summary>
    public string ChainStatus { get; }

    public bool IsExpired => DaysUntilExpiry < 0 || NotAfter < DateTime.UtcNow;

    public bool IsNotYetValid => NotBefore > DateTime.UtcNow;

    /// <summary>True when strict validation accepts the certificate for the host asked.</summary>
    public bool IsTrusted => NameMatches && ChainValid && !IsExpired && !IsNotYetValid;

    /// <summary>What is wrong with the certificate, in English words for a step, or null when nothing is.</summary>
    public string? Problem() => Problem(CultureInfo.InvariantCulture);

    /// <summary>
    /// What is wrong with the certificate ("expired on 2024-01-31") in <paramref name="culture"/>'s
    /// language, for a Message; null when nothing is.
    /// </summary>
    public string? Problem(CultureInfo culture)
    {
        var problems = new List<string>();
        if (IsExpired)
        {
            problems.Add(Texts.Messages.Format(culture, "Certificate_Expired", NotAfter));
        }

        if (IsNotYetValid)
        {
            problems.Add(Texts.Messages.Format(culture, "Certificate_NotYetValid", NotBefore));
        }

        if (!NameMatches)
        {
            problems.Add(Texts.Messages.Format(culture, "Certificate_OtherName", string.Join(", ", DnsNames.DefaultIfEmpty(Subject))));
        }

        if (IsRevoked)
        {
            problems.Add(Texts.Messages.Format(culture, "Certificate_Revoked"));
        }
        else if (!ChainValid)
        {
            X509ChainStatusFlags other = _flags & ~TimeProblems;
            if (other != X509ChainStatusFlags.NoError)
            {
                problems.Add(Texts.Messages.Format(culture, "Certificate_NotTrusted", other));
            }
            else if (!IsExpired && !IsNotYetValid)
            {
                // The server's own dates are fine, so an issuer in the chain is out of date.
                problems.Add(Texts.Messages.Format(culture, "Certificate_IssuerOutOfDate"));
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    public override string ToString()
        => Texts.Messages.Format("Certificate_Description", Subject, Issuer, NotBefore, NotAfter, string.Join(" ", DnsNames));

    private static IReadOnlyList<string> ReadDnsNames(X509Certificate2 certificate)
    {
#if NET
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                return san.EnumerateDnsNames().ToList();
            }
        }

        return Array.Empty<string>();
#else
        // .NET Framework has no typed SAN reader: its formatted text lists "DNS Name=host" entries.
        X509Extension? extension = certificate.Extensions["2.5.29.17"];
        if (extension == null)
        {
            return Array.Empty<string>();
        }

        return extension.Format(false)
            .Split(new[] { ", " }, StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.StartsWith("DNS Name=", StringComparison.Ordinal))
            .Select(part => part.Substring("DNS Name=".Length))
            .ToList();
#endif
    }
}
