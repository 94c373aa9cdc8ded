using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeDiag.Http;

/// <summary>
/// How every check judges a server certificate during a handshake: trusted certificates pass;
/// a bad one is refused, or with -SkipCertificateCheck accepted and recorded as a Warning step.
/// Each verdict is kept as a step and the certificate's facts by host.
/// </summary>
internal sealed class TlsPolicy
{
    private readonly bool _skipCertificateCheck;
    private readonly bool _opportunistic;

    /// <param name="opportunistic">
    /// Server-to-server SMTP: senders encrypt when they can and deliver anyway, so a bad
    /// certificate is a Warning there, never a refusal.
    /// </param>
    public TlsPolicy(bool skipCertificateCheck, bool opportunistic = false)
    {
        _skipCertificateCheck = skipCertificateCheck;
        _opportunistic = opportunistic;
    }

    public ConcurrentQueue<CheckStep> Steps { get; } = new ConcurrentQueue<CheckStep>();

    public ConcurrentDictionary<string, CertificateInfo> Certificates { get; } = new ConcurrentDictionary<string, CertificateInfo>(StringComparer.OrdinalIgnoreCase);

    public bool Validate(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate == null)
        {
            Steps.Enqueue(new CheckStep($"TLS {host}", CheckStatus.Failed, "the server sent no certificate", TimeSpan.Zero));
            return false;
        }

        var info = new CertificateInfo(new X509Certificate2(certificate), chain, errors, DateTime.UtcNow);
        Certificates[host] = info;
        string? problem = info.Problem();
        if (problem == null)
        {
            string revocation = info.RevocationUnknownOnly ? "; revocation status unknown (the CRL could not be fetched)" : string.Empty;
            Steps.Enqueue(new CheckStep($"TLS {host}", info.RevocationUnknownOnly ? CheckStatus.Warning : CheckStatus.Passed, $"certificate {info}; trusted{revocation}", TimeSpan.Zero));
            return true;
        }

        if (_opportunistic)
        {
            Steps.Enqueue(new CheckStep($"TLS {host}", CheckStatus.Warning, $"certificate {problem}; senders using opportunistic TLS still deliver, those that verify do not", TimeSpan.Zero));
            return true;
        }

        if (_skipCertificateCheck)
        {
            Steps.Enqueue(new CheckStep($"TLS {host}", CheckStatus.Warning, $"certificate {problem}; accepted only because of -SkipCertificateCheck", TimeSpan.Zero));
            return true;
        }

        Steps.Enqueue(new CheckStep($"TLS {host}", CheckStatus.Failed, $"certificate {problem}", TimeSpan.Zero));
        return false;
    }

    /// <summary>Moves the recorded steps into the result, and notes a problem that -SkipCertificateCheck let through.</summary>
    public void MoveStepsTo(CheckResult result)
    {
        while (Steps.TryDequeue(out CheckStep? step))
        {
            result.Steps.Add(step);
        }

        foreach (var pair in Certificates)
        {
            // Read into the result's Message, so in the UI culture of the check.
            if (_skipCertificateCheck && pair.Value.Problem(CultureInfo.CurrentUICulture) is string skipped)
            {
                result.CertificateProblemSkipped = $"{pair.Key}: {skipped}";
            }
        }
    }
}
