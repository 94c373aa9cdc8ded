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
    /// Concludes an OAuth login aimed at a server that is not Exchange Online's and that the user did
    /// not name: the domain's records or a discovery chose it, and the token is not sent there.
    /// </summary>
    public static void ConcludeTokenWithheld(CheckResult result, string host, string user)
    {
        result.AddStep("Authentication", CheckStatus.Error, $"{host} is not Exchange Online's and was not named with -Server or -ExchangeServer: the access token was not sent");
        result.Conclude(CheckStatus.Error, DiagnosticCause.TokenWithheld,
            Texts.SignIn.Format("TokenWithheld", host, user),
            Texts.SignIn.Format("Fix_TokenWithheld", host));
    }

    /// <summary>
    /// Concludes a password login aimed at Exchange Online without sending the password: Microsoft
    /// retired Basic authentication there for EWS, IMAP, POP and OWA (2022), so any refusal would say
    /// nothing about the password, and reading it as "wrong password" misleads. SMTP AUTH is not
    /// concluded here: Microsoft keeps it where a tenant enables it (MC786329), and 5.7.139 says when not.
    /// </summary>
    public static void ConcludeBasicRetired(CheckResult result, string host, string user)
    {
        result.AddStep("Authentication", CheckStatus.Error, $"{host} is Exchange Online, which takes no password (Basic authentication is retired); the password was not sent");
        result.Conclude(CheckStatus.Error, DiagnosticCause.BasicAuthDisabled,
            Texts.SignIn.Format("BasicRetired", host, user),
            Texts.SignIn["Fix_BasicRetired"]);
    }
}
