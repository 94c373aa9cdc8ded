using System;
using System.Linq;

namespace ExchangeDiag.Auth;

/// <summary>Exchange Online's host names: where a token may go, and where a password is never accepted.</summary>
internal static class ExchangeOnline
{
    /// <summary>Its domains, worldwide and in the national clouds (outlook.office365.com, smtp.office365.com, autodiscover-s.outlook.com...).</summary>
    private static readonly string[] Domains = { "outlook.com", "office365.com", "office.com", "office365.us", "partner.outlook.cn" };

    public static bool IsHost(string host)
    {
        string name = host.TrimEnd('.');
        return Domains.Any(d => name.Equals(d, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + d, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Concludes a password login aimed at Exchange Online without sending the password: Microsoft
    /// retired Basic authentication there (EWS, IMAP, OWA in 2022; SMTP AUTH in 2026), so any
    /// refusal would say nothing about the password, and reading it as "wrong password" misleads.
    /// </summary>
    public static void ConcludeBasicRetired(CheckResult result, string host, string user)
    {
        result.AddStep("Authentication", CheckStatus.Error, $"{host} is Exchange Online, which takes no password (Basic authentication is retired); the password was not sent");
        result.Conclude(CheckStatus.Error, DiagnosticCause.BasicAuthDisabled,
            Texts.SignIn.Format("BasicRetired", host, user),
            Texts.SignIn["Fix_BasicRetired"]);
    }
}
