namespace ExchangeDiag;

/// <summary>The root cause a check points to. Later checks add members; existing names never change.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum DiagnosticCause
{
    None,
    MxInvalid,
    SrvInvalid,
    DnsUnavailable,

    /// <summary>The mailbox's credentials were refused (wrong password or unknown user).</summary>
    WebmailAuthFailed,

    /// <summary>The account is locked by the security policy after failed logins.</summary>
    AccountLocked,

    /// <summary>The credentials are right but the password has expired and must be changed.</summary>
    PasswordExpired,

    /// <summary>A client access rule of the organisation refuses this login.</summary>
    AccessRuleBlocked,

    /// <summary>No autodiscover method yielded the mailbox's settings.</summary>
    AutodiscoverFailed,

    /// <summary>A server's TLS certificate is expired, not yet valid, for another name, revoked or untrusted.</summary>
    CertificateInvalid,

    /// <summary>The server could not be reached: its name does not resolve, or it refuses or drops connections.</summary>
    Unreachable,

    /// <summary>The server answers, but not as an Exchange server does.</summary>
    NotExchange,

    /// <summary>The Exchange server answered with an error of its own.</summary>
    ServerError,

    /// <summary>SMTP or IMAP refused the credentials (535 5.7.3, NO LOGIN failed).</summary>
    AuthenticationFailed,

    /// <summary>The provider blocked the account for sending spam: it receives, but cannot send.</summary>
    AccountBlockedForSpam,

    /// <summary>The subscription expired or the account is suspended: sending, receiving and logins refused.</summary>
    SubscriptionExpired,

    /// <summary>The account sent more than its submission quota allows.</summary>
    SendQuotaExceeded,

    /// <summary>The account may not send as the sender address used.</summary>
    SendAsDenied,

    /// <summary>The test message could not be sent, for another reason given in the reply.</summary>
    SendFailed,

    /// <summary>The test message was sent but did not arrive in time.</summary>
    ReceiveFailed,

    /// <summary>Every protocol refused the mailbox's credentials: the password (or the user name) is wrong.</summary>
    WrongPassword,

    /// <summary>The Exchange endpoints cannot be reached although the domain's DNS is right: an incident on the provider's platform.</summary>
    PlatformIncident,

    /// <summary>The provider's API refused or failed the call (invalid signature or credential, rate limit, outage).</summary>
    ProviderApiFailed,

    /// <summary>SMTP AUTH is disabled for the mailbox or the tenant, or blocked by a policy (5.7.139): the password was not checked.</summary>
    SmtpAuthDisabled,

    /// <summary>The server requires STARTTLS before it accepts mail (451 5.7.3), and the session had none.</summary>
    TlsRequired,

    /// <summary>The provider bans the whole organisation (tenant) or its sending IP address (5.7.705, 5.7.708), not this account alone.</summary>
    OrganizationBlocked,

    /// <summary>The DNS server this computer asks (the system's or -DnsServer) did not answer at all or refused: a fault on this computer's side, not the domain's.</summary>
    LocalDnsFailure,

    /// <summary>The mail domain does not exist in DNS (NXDOMAIN): a typo, or a domain that is not registered or not delegated.</summary>
    DomainNotFound,

    /// <summary>This computer could connect to no server at all: its network, proxy or firewall, not the mailbox.</summary>
    LocalNetworkFailure,

    /// <summary>The server given with -ExchangeServer does not answer, while the one the domain's DNS names does: the given name is wrong.</summary>
    WrongExchangeServer,

    /// <summary>The check could not finish: an answer it does not know, or a defect of ExchangeDiag. No finding about the mailbox.</summary>
    CheckFailed,

    /// <summary>The domain publishes no SPF record (TXT v=spf1): receivers cannot tell its servers from forgers, and often file its mail as spam.</summary>
    SpfMissing,

    /// <summary>The domain's SPF is wrong: two records, a syntax error, more than 10 DNS lookups, an include loop, +all, or the provider's include missing.</summary>
    SpfInvalid,

    /// <summary>No DKIM key was found under the selectors tried: the domain's mail is not signed, or not with a key receivers can find.</summary>
    DkimMissing,

    /// <summary>A DKIM key record is unusable: not v=DKIM1, an unknown key type, a key that does not parse, too short, or revoked (p=).</summary>
    DkimInvalid,

    /// <summary>The domain publishes no DMARC policy (_dmarc TXT), nor does its organizational domain.</summary>
    DmarcMissing,

    /// <summary>The domain's DMARC record is wrong: two records, no p= tag, bad rua/ruf URIs or an external report address that did not authorise it.</summary>
    DmarcInvalid,

    /// <summary>A DNS blocklist lists one of the domain's mail servers or the address given: receivers that use it refuse or file the mail.</summary>
    Blocklisted,

    /// <summary>The domain's MTA-STS is wrong: a _mta-sts record without a policy file, a policy that does not parse, or MX patterns that do not match its MX.</summary>
    MtaStsInvalid,

    /// <summary>Microsoft Entra ID says the account is disabled (AADSTS50057): no sign-in works until an administrator enables it.</summary>
    AccountDisabled,

    /// <summary>Microsoft Entra ID wants multi-factor authentication (or its enrolment) that this sign-in did not give (AADSTS50076, 50079).</summary>
    MfaRequired,

    /// <summary>A Conditional Access policy of the tenant blocks this sign-in: location, device, app or risk (AADSTS53003 and its kin).</summary>
    ConditionalAccessBlocked,

    /// <summary>Nobody consented to the app's permissions in this tenant (AADSTS65001): an administrator grants them once.</summary>
    ConsentRequired,

    /// <summary>The app registration, its certificate or the tenant named is wrong (AADSTS700016, 700027, 7000218, 90002...): no finding about the mailbox.</summary>
    AppRegistrationInvalid,

    /// <summary>The Microsoft 365 sign-in was not finished (code expired, cancelled, or made as another account): no finding about the mailbox.</summary>
    SignInIncomplete,

    /// <summary>Exchange Online refused an access token Microsoft Entra ID issued: its permissions, audience or tenant do not fit the protocol.</summary>
    TokenRefused,

    /// <summary>The server is Exchange Online, which takes no password (Basic authentication is retired): the password was not sent, nor checked.</summary>
    BasicAuthDisabled,

    /// <summary>The provider's autodiscover CNAME is missing or points elsewhere (Microsoft 365: autodiscover.&lt;domain&gt; to autodiscover.outlook.com), so mail clients cannot find the mailbox's settings by themselves.</summary>
    AutodiscoverCnameInvalid,

    /// <summary>With OAuth, the server the domain's records or a discovery named is not Exchange Online's: the token was not sent there.</summary>
    TokenWithheld,
}
