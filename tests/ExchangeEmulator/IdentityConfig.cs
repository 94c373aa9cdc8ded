using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeEmulator;

/// <summary>The "identity" section: one Entra ID tenant and its app registrations.</summary>
public sealed class IdentitySpec
{
    public string TenantId { get; init; } = "";
    public string TenantName { get; init; } = "";
    public List<AppSpec> Apps { get; init; } = [];

    /// <summary>How long a device code can be redeemed (Entra ID: 900 s); a lab makes it short so a sign-in nobody finishes ends quickly.</summary>
    public int DeviceCodeLifetimeSeconds { get; init; } = 900;

    /// <summary>The resources whose scopes the lab's tokens can carry: Exchange Online under its two names.</summary>
    public static readonly string[] Resources = ["https://outlook.office.com", "https://outlook.office365.com"];

    public AppSpec? FindApp(string clientId) =>
        Apps.FirstOrDefault(a => string.Equals(a.ClientId, clientId, StringComparison.OrdinalIgnoreCase));

    internal IEnumerable<string> Validate(List<CertificateSpec> certificates)
    {
        if (!Guid.TryParse(TenantId, out _))
        {
            yield return $"identity.tenantId '{TenantId}' must be a GUID";
        }

        if (TenantName.Length == 0)
        {
            yield return "identity.tenantName is empty";
        }

        if (DeviceCodeLifetimeSeconds is < 2 or > 3600)
        {
            // Two seconds at least: the healthy sign-in completes at the second poll, one interval apart.
            yield return $"identity.deviceCodeLifetimeSeconds {DeviceCodeLifetimeSeconds} must be 2..3600";
        }

        var clientIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (AppSpec app in Apps)
        {
            string label = $"identity app '{app.ClientId}'";
            if (!Guid.TryParse(app.ClientId, out _) || !clientIds.Add(app.ClientId))
            {
                yield return $"{label}: clientId must be a GUID, listed once";
            }

            if (app.PublicClient == (app.Certificate is not null))
            {
                yield return $"{label}: give either publicClient true or a certificate (a confidential client), not both or neither";
            }

            if (app.Certificate is not null && !certificates.Any(c => c.Kind == CertificateKind.Client && string.Equals(c.Name, app.Certificate, StringComparison.OrdinalIgnoreCase)))
            {
                yield return $"{label}: certificate '{app.Certificate}' is not a certificate of kind client";
            }

            if (app.PublicClient && app.Roles.Count > 0)
            {
                yield return $"{label}: roles (application permissions) need a confidential client";
            }

            foreach (string scope in app.ConsentedScopes)
            {
                if (SplitScope(scope) is not { Name.Length: > 0 } split || split.Name == ".default")
                {
                    yield return $"{label}: consented scope '{scope}' must be <resource>/<name> with resource one of {string.Join(", ", Resources)}";
                }
            }
        }
    }

    /// <summary>"https://outlook.office.com/IMAP.AccessAsUser.All" → (resource, "IMAP.AccessAsUser.All"); null for another resource.</summary>
    public static (string Resource, string Name)? SplitScope(string scope)
    {
        foreach (string resource in Resources)
        {
            if (scope.Length > resource.Length + 1 && scope.StartsWith(resource + "/", StringComparison.OrdinalIgnoreCase))
            {
                return (resource, scope[(resource.Length + 1)..]);
            }
        }

        return null;
    }
}

public sealed class AppSpec
{
    public string ClientId { get; init; } = "";
    public string Name { get; init; } = "";

    /// <summary>A public client (device code flow); otherwise a confidential one that signs client assertions.</summary>
    public bool PublicClient { get; init; }

    /// <summary>Delegated permissions a user or admin consented to, as full scope strings.</summary>
    public List<string> ConsentedScopes { get; init; } = [];

    /// <summary>The certificate (kind client) registered on a confidential app.</summary>
    public string? Certificate { get; init; }

    /// <summary>Application permissions granted to a confidential app: the roles claim of its tokens.</summary>
    public List<string> Roles { get; init; } = [];
}
