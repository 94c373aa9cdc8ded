using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;

namespace ExchangeDiag.Auth;

/// <summary>Where and as which app the OAuth sign-in happens: the cmdlets' -TenantId, -ClientId, -Certificate and -Authority.</summary>
public sealed class OAuthSettings
{
    /// <summary>Microsoft Entra ID's worldwide sign-in host; national clouds have their own (-Authority).</summary>
    public static readonly Uri PublicCloud = new Uri("https://login.microsoftonline.com/");

    /// <summary>
    /// The app a person signs in with when -ClientId is not given: Microsoft Office's public client,
    /// pre-authorised in every tenant for Exchange Online's delegated permissions (EWS, IMAP, SMTP).
    /// </summary>
    public const string DefaultPublicClientId = "d3590ed6-52b3-4102-aeff-aad2292ab01c";

    /// <summary>Work and school accounts of any tenant: the device-code sign-in finds the user's own.</summary>
    public const string AnyOrganization = "organizations";

    public OAuthSettings(Uri authority, string tenant, string clientId, X509Certificate2? certificate)
    {
        Authority = authority;
        Tenant = tenant;
        ClientId = clientId;
        Certificate = certificate;
    }

    /// <summary>The identity provider's base address, such as https://login.microsoftonline.com/.</summary>
    public Uri Authority { get; }

    /// <summary>The tenant: its id (a GUID), one of its domains, or "organizations".</summary>
    public string Tenant { get; }

    public string ClientId { get; }

    /// <summary>With a certificate: the app signs in as itself (client credentials), for scheduled scripts.</summary>
    public X509Certificate2? Certificate { get; }

    public bool AppOnly => Certificate != null;

    /// <summary>The authority MSAL is given: https://host/tenant/.</summary>
    public string AuthorityUrl => new Uri(Authority, Uri.EscapeDataString(Tenant) + "/").ToString();

    /// <summary>Only Microsoft's worldwide host is known to MSAL's instance discovery; others are asked directly.</summary>
    public bool KnownHost => string.Equals(Authority.Host, PublicCloud.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>What tells one app's token cache from another's in a session.</summary>
    public string CacheKey => string.Join("|", Authority.GetLeftPart(UriPartial.Authority).ToLowerInvariant(), Tenant.ToLowerInvariant(), ClientId.ToLowerInvariant(), Certificate?.Thumbprint ?? "delegated");
}

/// <summary>
/// The token cache of one app in one PowerShell session: MSAL's own cache, serialised between
/// invocations, so a person signs in once per session and each cmdlet after that is silent.
/// </summary>
public sealed class OAuthTokenCache
{
    private readonly object _lock = new object();

    /// <summary>Held for a whole acquisition (read, MSAL's call, write), so two sign-ins never lose each other's tokens.</summary>
    internal SemaphoreSlim Gate { get; } = new SemaphoreSlim(1, 1);
    private byte[]? _data;

    internal byte[]? Read()
    {
        lock (_lock)
        {
            return _data;
        }
    }

    internal void Write(byte[] data)
    {
        lock (_lock)
        {
            _data = data;
        }
    }
}
