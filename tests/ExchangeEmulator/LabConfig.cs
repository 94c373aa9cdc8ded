using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExchangeEmulator;

/// <summary>Client: a client-authentication certificate issued by the lab CA, for an app of the identity section.</summary>
public enum CertificateKind { Valid, Expired, NotYetValid, ExpiringSoon, SelfSigned, Revoked, Client }

public enum HostRole { Exchange, NotExchange, HttpRedirect, MtaSts, IdentityProvider }

public enum AutodiscoverAction { Settings, RedirectAddr, RedirectUrl, Error }

/// <summary>
/// Disabled: the directory account of a suspended subscription. It refuses the right password
/// exactly as a wrong one (UNCONFIRMED: no distinct answer is documented), without counting a failure.
/// The last two only change what the identity provider answers at sign-in (AADSTS53003, AADSTS50076).
/// </summary>
public enum AccountState { Healthy, PasswordExpired, BlockedByAccessRule, BlockedByEacRule, Locked, Disabled, ConditionalAccessBlocked, MfaRequired }

public sealed class CertificateSpec
{
    public string Name { get; init; } = "";
    public CertificateKind Kind { get; init; }
    public List<string> DnsNames { get; init; } = [];
}

public sealed class ListenerSpec
{
    public string Address { get; init; } = "";
    public int Port { get; init; }

    /// <summary>Name of a certificate from "certificates": HTTPS; absent: plain HTTP.</summary>
    public string? Certificate { get; init; }
}

public sealed class HostSpec
{
    public string Name { get; init; } = "";
    public HostRole Role { get; init; }

    /// <summary>Exchange 2007: the OWA form goes only to /owa/auth/owaauth.dll (2010 and later post to /owa/auth.owa).</summary>
    public bool LegacyOwaOnly { get; init; }

    /// <summary>
    /// Exchange's ChangeExpiredPasswordEnabled, off by default: only when on does OWA send an expired
    /// password to expiredpassword.aspx; otherwise it answers reason=2, as for a wrong password.
    /// </summary>
    public bool ChangeExpiredPasswordEnabled { get; init; }

    /// <summary>As Exchange Online does, EWS answers a locked account with HTTP 456 (locked or MFA required) instead of 401.</summary>
    public bool LockedAnswers456 { get; init; }

    /// <summary>
    /// Exchange Online: EWS and Autodiscover take only OAuth Bearer tokens from the lab identity
    /// provider; Basic is refused whatever the password, as once Basic is turned off.
    /// </summary>
    public bool OAuth { get; init; }

    /// <summary>
    /// A careless or hostile server: a refused OWA login is sent back to the logon page with the posted
    /// form in the address, and a refused Basic login repeats the Authorization header in X-CasErrorCode.
    /// </summary>
    public bool EchoesCredentials { get; init; }
    public string? CasError { get; init; }
    public string? RedirectTo { get; init; }

    /// <summary>mtaSts: the text served at /.well-known/mta-sts.txt (RFC 8461 §3.2), sent as written.</summary>
    public string? Policy { get; init; }

    /// <summary>mtaSts: the Content-Type of the policy; a real server may get it wrong.</summary>
    public string ContentType { get; init; } = "text/plain";

    /// <summary>mtaSts: the HTTP status of the policy (404: no policy served).</summary>
    public int Status { get; init; } = 200;
}

public sealed class AutodiscoverRule
{
    public string Domain { get; init; } = "";

    /// <summary>When set, the rule answers only requests to this host (a redirectUrl's target), before host-less rules.</summary>
    public string? Host { get; init; }
    public AutodiscoverAction Action { get; init; }
    public string? Server { get; init; }
    public string? RedirectAddr { get; init; }
    public string? RedirectUrl { get; init; }
    public int ErrorCode { get; init; } = 500;
}

public sealed class AccountSpec
{
    public string Email { get; init; } = "";
    public string Password { get; init; } = "";
    public AccountState State { get; init; }
    public string? DisplayName { get; init; }
}

public sealed class LockoutPolicy
{
    /// <summary>Failed logins that lock the account; 0 turns lockout off, as in the provider's API.</summary>
    public int Threshold { get; init; }
    public int DurationSeconds { get; init; } = 300;
    public int ObservationWindowSeconds { get; init; } = 300;
}

public sealed class LabConfig
{
    public string CrlUrl { get; init; } = "";
    public List<CertificateSpec> Certificates { get; init; } = [];
    public List<ListenerSpec> Listeners { get; init; } = [];
    public List<HostSpec> Hosts { get; init; } = [];
    public List<AutodiscoverRule> Autodiscover { get; init; } = [];
    public List<AccountSpec> Accounts { get; init; } = [];
    public LockoutPolicy Lockout { get; init; } = new();

    /// <summary>The emulated OVHcloud API; absent: not served.</summary>
    public OvhApiSpec? OvhApi { get; init; }

    /// <summary>The lab's Entra ID tenant, served by identityProvider hosts; absent: no OAuth.</summary>
    public IdentitySpec? Identity { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    /// <summary>Reads and checks a lab.json; every problem found is reported at once.</summary>
    public static LabConfig Load(string path)
    {
        LabConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LabConfig>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(e.Message, e);
        }

        if (config is null)
        {
            throw new InvalidDataException("the file holds no configuration");
        }

        List<string> errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException(string.Join(Environment.NewLine, errors));
        }

        return config;
    }

    private List<string> Validate()
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(CrlUrl, UriKind.Absolute, out Uri? crl) || crl.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add("crlUrl must be an absolute http:// URL (revocation fetches never use TLS)");
        }

        var certificateNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (CertificateSpec c in Certificates)
        {
            // The name becomes a file name under the PKI folder.
            if (c.Name.Length == 0 || c.Name.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '_' or '.')) || c.Name.StartsWith('.'))
            {
                errors.Add($"certificate name '{c.Name}' must be letters, digits, '-', '_' or '.'");
            }

            if (c.Name is "ca" or "lab" || !certificateNames.Add(c.Name))
            {
                errors.Add($"certificate name '{c.Name}' is reserved or used twice");
            }

            if (c.DnsNames.Count == 0 && c.Kind != CertificateKind.Client)
            {
                errors.Add($"certificate '{c.Name}' has no dnsNames (only a client certificate may have none)");
            }
        }

        foreach (ListenerSpec l in Listeners)
        {
            if (!IPAddress.TryParse(l.Address, out IPAddress? ip) || !IPAddress.IsLoopback(ip))
            {
                errors.Add($"listener address '{l.Address}' must be a loopback IP literal");
            }

            if (l.Port is < 1 or > 65535)
            {
                errors.Add($"listener {l.Address}: port {l.Port} is out of range");
            }

            if (l.Certificate is not null && !certificateNames.Contains(l.Certificate))
            {
                errors.Add($"listener {l.Address}:{l.Port} names unknown certificate '{l.Certificate}'");
            }
            else if (Certificates.Any(c => c.Kind == CertificateKind.Client && string.Equals(c.Name, l.Certificate, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"listener {l.Address}:{l.Port} names client certificate '{l.Certificate}' (a client certificate has no server-authentication use)");
            }
        }

        if (Listeners.Count == 0)
        {
            errors.Add("no listeners");
        }

        var hostNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (HostSpec h in Hosts)
        {
            if (!hostNames.Add(h.Name))
            {
                errors.Add($"host '{h.Name}' is listed twice");
            }

            if (h.Role == HostRole.HttpRedirect && string.IsNullOrEmpty(h.RedirectTo))
            {
                errors.Add($"host '{h.Name}': role httpRedirect needs redirectTo");
            }

            if ((h.Role == HostRole.IdentityProvider || h.OAuth) && Identity is null)
            {
                errors.Add($"host '{h.Name}': role identityProvider and oauth need the identity section");
            }

            if (h.OAuth && h.Role != HostRole.Exchange)
            {
                errors.Add($"host '{h.Name}': oauth applies only to role exchange");
            }

            if (h.Role == HostRole.MtaSts && h.Policy is null && h.RedirectTo is null && h.Status == 200)
            {
                errors.Add($"host '{h.Name}': role mtaSts needs policy, redirectTo or a status other than 200");
            }
        }

        foreach (AutodiscoverRule r in Autodiscover)
        {
            string? missing = r.Action switch
            {
                AutodiscoverAction.Settings when string.IsNullOrEmpty(r.Server) => "server",
                AutodiscoverAction.RedirectAddr when string.IsNullOrEmpty(r.RedirectAddr) => "redirectAddr",
                AutodiscoverAction.RedirectUrl when string.IsNullOrEmpty(r.RedirectUrl) => "redirectUrl",
                _ => null,
            };
            if (missing is not null)
            {
                errors.Add($"autodiscover domain '{r.Domain}': action {r.Action} needs {missing}");
            }
        }

        var emails = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (AccountSpec a in Accounts)
        {
            if (!a.Email.Contains('@') || !emails.Add(a.Email))
            {
                errors.Add($"account '{a.Email}' is not an address or is listed twice");
            }
        }

        if (OvhApi is not null && (OvhApi.Host.Length == 0 || OvhApi.ApplicationKey.Length == 0 || OvhApi.ApplicationSecret.Length == 0 || OvhApi.ConsumerKey.Length == 0))
        {
            errors.Add("ovhApi needs host, applicationKey, applicationSecret and consumerKey");
        }

        if (Identity is not null)
        {
            errors.AddRange(Identity.Validate(Certificates));
            if (!Hosts.Any(h => h.Role == HostRole.IdentityProvider))
            {
                errors.Add("the identity section needs a host with role identityProvider (the issuer's host name)");
            }
        }

        if (Lockout.Threshold < 0 || Lockout.DurationSeconds < 0 || Lockout.ObservationWindowSeconds < 0)
        {
            errors.Add("lockout values cannot be negative");
        }

        return errors;
    }
}
