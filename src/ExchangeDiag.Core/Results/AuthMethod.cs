namespace ExchangeDiag;

/// <summary>How the checks that log in prove who they are.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum AuthMethod
{
    /// <summary>The mailbox's password: OWA's form, HTTP Basic, SASL PLAIN or LOGIN.</summary>
    Basic,

    /// <summary>
    /// An OAuth 2.0 access token from Microsoft Entra ID (Microsoft 365): HTTP Bearer for EWS and
    /// Autodiscover, SASL XOAUTH2 for IMAP and SMTP. Exchange Online accepts nothing else.
    /// </summary>
    OAuth,
}
