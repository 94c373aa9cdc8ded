using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExchangeEmulator;

/// <summary>
/// The "identityProvider" role: an Entra ID tenant with the v2 endpoint layout (discovery, JWKS,
/// device code, token with device_code, client_credentials and refresh_token grants) that real
/// MSAL accepts, and the AADSTS refusals per account state and app (README, "Identity provider").
/// </summary>
public sealed class IdentityProvider
{
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private const string JwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private const int TokenSeconds = 3600;
    private const int MaxFormBytes = 64 * 1024;
    private const int MaxOutstandingGrants = 1000;

    // Scopes MSAL adds to every delegated request; they ask for an id token and a refresh token, not a resource.
    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "offline_access", "email" };

    private sealed class DeviceGrant(string clientId, string scope, string userCode, DateTimeOffset expires)
    {
        public string ClientId { get; } = clientId;
        public string Scope { get; } = scope;
        public string UserCode { get; } = userCode;
        public DateTimeOffset Expires { get; } = expires;
        public string? Email { get; set; }
        public int SignedInPolls { get; set; }
    }

    /// <param name="Mfa">The interactive sign-in behind it satisfied MFA, so a policy that asks for MFA does not refuse it.</param>
    private sealed record RefreshGrant(string ClientId, string Email, bool Mfa, DateTimeOffset Expires);

    private readonly IdentitySpec identity;
    private readonly LabTokens tokens;
    private readonly AccountStore accounts;
    private readonly Dictionary<string, X509Certificate2> appCertificates;
    private readonly TimeProvider clock;
    private readonly object gate = new();
    private readonly Dictionary<string, DeviceGrant> deviceCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshGrant> refreshTokens = new(StringComparer.Ordinal);
    private string? armedEmail;

    public IdentityProvider(LabTokens tokens, AccountStore accounts, Dictionary<string, X509Certificate2> appCertificates, TimeProvider clock)
    {
        identity = tokens.Identity;
        this.tokens = tokens;
        this.accounts = accounts;
        this.appCertificates = appCertificates;
        this.clock = clock;
    }

    public void Reset()
    {
        lock (gate)
        {
            deviceCodes.Clear();
            refreshTokens.Clear();
            armedEmail = null;
        }
    }

    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store, no-cache";
        string method = context.Request.Method;
        string[] parts = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["devicelogin"] && HttpMethods.IsGet(method))
        {
            return Http.TextAsync(context, 200, "<!DOCTYPE html><html><head><title>Enter code</title></head><body><p>Lab device login: arm a sign-in with POST /_lab/idp/signin instead.</p></body></html>", "text/html");
        }

        if (parts.Length < 2)
        {
            return Http.TextAsync(context, 404, "404 - Not Found");
        }

        string tenant = parts[0];
        if (parts is ["common", "discovery", "instance"] && HttpMethods.IsGet(method))
        {
            return InstanceDiscoveryAsync(context);
        }

        if (!KnownTenant(tenant))
        {
            return AadErrors.TenantNotFound(tenant).WriteAsync(context, tokens.AuthorityHost);
        }

        return parts[1..] switch
        {
            ["v2.0", ".well-known", "openid-configuration"] or [".well-known", "openid-configuration"] when HttpMethods.IsGet(method) => OpenIdConfigurationAsync(context, tenant),
            ["discovery", "v2.0", "keys"] or ["discovery", "keys"] when HttpMethods.IsGet(method) => Http.JsonAsync(context, 200, new JsonObject { ["keys"] = new JsonArray(tokens.PublicJwk()) }),
            ["oauth2", "v2.0", "devicecode"] when HttpMethods.IsPost(method) => DeviceCodeAsync(context),
            ["oauth2", "v2.0", "token"] when HttpMethods.IsPost(method) => TokenAsync(context, tenant),
            ["_lab", "introspect"] when HttpMethods.IsPost(method) => IntrospectAsync(context),
            _ => Http.TextAsync(context, 404, "404 - Not Found"),
        };
    }

    /// <summary>The tenant id, its name, and the multi-tenant aliases MSAL uses for delegated flows.</summary>
    private bool KnownTenant(string tenant) =>
        string.Equals(tenant, identity.TenantId, StringComparison.OrdinalIgnoreCase)
        || string.Equals(tenant, identity.TenantName, StringComparison.OrdinalIgnoreCase)
        || tenant is "common" or "organizations";

    private string Base => $"https://{tokens.AuthorityHost}";

    private Task InstanceDiscoveryAsync(HttpContext context)
    {
        string host = tokens.AuthorityHost;
        return Http.JsonAsync(context, 200, new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{Base}/{identity.TenantId}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = host,
                ["preferred_cache"] = host,
                ["aliases"] = new JsonArray(host),
            }),
        });
    }

    private Task OpenIdConfigurationAsync(HttpContext context, string tenant) =>
        Http.JsonAsync(context, 200, new JsonObject
        {
            ["issuer"] = tokens.Issuer,
            ["authorization_endpoint"] = $"{Base}/{tenant}/oauth2/v2.0/authorize",
            ["token_endpoint"] = $"{Base}/{tenant}/oauth2/v2.0/token",
            ["device_authorization_endpoint"] = $"{Base}/{tenant}/oauth2/v2.0/devicecode",
            ["jwks_uri"] = $"{Base}/{tenant}/discovery/v2.0/keys",
            ["introspection_endpoint"] = $"{Base}/{tenant}/_lab/introspect",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["grant_types_supported"] = new JsonArray(DeviceCodeGrant, "client_credentials", "refresh_token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid", "preferred_username", "upn", "scp", "roles"),
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = tokens.AuthorityHost,
        });

    // ------------------------------------------------------------ lab control

    /// <summary>
    /// POST /_lab/idp/signin {"email": ..., "userCode": optional}: the next device code issued (or the
    /// outstanding one with that user code) completes as this account at its second poll.
    /// </summary>
    public async Task SignInControlAsync(HttpContext context)
    {
        JsonElement body;
        try
        {
            body = await ReadSmallJsonAsync(context);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            await Http.JsonAsync(context, 400, new { error = "the body must be a JSON object of at most 8 KB" });
            return;
        }

        string? email = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("email", out JsonElement e1) && e1.ValueKind == JsonValueKind.String ? e1.GetString() : null;
        string? userCode = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("userCode", out JsonElement e2) && e2.ValueKind == JsonValueKind.String ? e2.GetString() : null;
        if (string.IsNullOrWhiteSpace(email))
        {
            await Http.JsonAsync(context, 400, new { error = "email is required" });
            return;
        }

        lock (gate)
        {
            if (userCode is null)
            {
                armedEmail = email;
            }
            else if (deviceCodes.Values.FirstOrDefault(g => string.Equals(g.UserCode, userCode, StringComparison.OrdinalIgnoreCase)) is { } grant)
            {
                grant.Email = email;
            }
            else
            {
                userCode = null;
                email = null;
            }
        }

        if (email is null)
        {
            await Http.JsonAsync(context, 404, new { error = "no outstanding device code has that user code" });
            return;
        }

        // Known tells a test that a typo in the address will end in AADSTS50034, not in a token.
        await Http.JsonAsync(context, 200, new { armed = email, userCode, known = accounts.Find(email) is not null });
    }

    private static async Task<JsonElement> ReadSmallJsonAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = 8 * 1024;
        }

        string text = await Http.ReadBodyAsync(context.Request);
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    // ------------------------------------------------------------ device code

    private async Task DeviceCodeAsync(HttpContext context)
    {
        if (await ReadFormAsync(context) is not { } form)
        {
            await AadErrors.MissingParameter("client_id").WriteAsync(context, tokens.AuthorityHost);
            return;
        }

        AadError? error = CheckClient(form, out AppSpec? app);
        if (error is null && app!.Certificate is not null)
        {
            // The device code flow is for public clients only.
            error = AadErrors.CredentialRequired();
        }

        string scope = form["scope"].ToString();
        if (error is null && scope.Length == 0)
        {
            error = AadErrors.MissingParameter("scope");
        }

        if (error is null && ParseDelegatedScopes(scope, out _) is { } scopeError)
        {
            error = scopeError;
        }

        if (error is not null)
        {
            await error.WriteAsync(context, tokens.AuthorityHost);
            return;
        }

        string deviceCode = "DAQABAAEAAAB" + Jwt.Encode(RandomNumberGenerator.GetBytes(96));
        // Eight characters, as the lab contract shows (Entra's own codes have nine these days).
        string userCode = RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 8);
        DateTimeOffset now = clock.GetUtcNow();
        lock (gate)
        {
            DropExpired(now);
            if (deviceCodes.Count >= MaxOutstandingGrants)
            {
                deviceCodes.Remove(deviceCodes.MinBy(pair => pair.Value.Expires).Key);
            }

            var grant = new DeviceGrant(app!.ClientId, scope, userCode, now.AddSeconds(identity.DeviceCodeLifetimeSeconds)) { Email = armedEmail };
            armedEmail = null;
            deviceCodes[deviceCode] = grant;
        }

        string verificationUri = $"{Base}/devicelogin";
        await Http.JsonAsync(context, 200, new JsonObject
        {
            ["user_code"] = userCode,
            ["device_code"] = deviceCode,
            ["verification_uri"] = verificationUri,
            ["expires_in"] = identity.DeviceCodeLifetimeSeconds,
            ["interval"] = 1,
            ["message"] = $"To sign in, use a web browser to open the page {verificationUri} and enter the code {userCode} to authenticate.",
        });
    }

    private void DropExpired(DateTimeOffset now)
    {
        foreach (string code in deviceCodes.Where(pair => pair.Value.Expires <= now).Select(pair => pair.Key).ToList())
        {
            deviceCodes.Remove(code);
        }

        foreach (string token in refreshTokens.Where(pair => pair.Value.Expires <= now).Select(pair => pair.Key).ToList())
        {
            refreshTokens.Remove(token);
        }
    }

    // ------------------------------------------------------------ token endpoint

    private async Task TokenAsync(HttpContext context, string tenant)
    {
        AadError? error;
        JsonObject? success = null;
        if (await ReadFormAsync(context) is not { } form)
        {
            error = AadErrors.MalformedRequest();
        }
        else
        {
            string grantType = form["grant_type"].ToString();
            AppSpec? app = null;
            error = grantType.Length == 0 ? AadErrors.MissingParameter("grant_type") : CheckClient(form, out app);
            if (error is null)
            {
                (success, error) = grantType switch
                {
                    // MSAL.NET sends Entra ID's older short name; RFC 8628 names the URN.
                    DeviceCodeGrant or "device_code" => DeviceCodeToken(form, app!),
                    "client_credentials" => ClientCredentialsToken(form, app!, tenant),
                    "refresh_token" => RefreshToken(form, app!),
                    _ => (null, AadErrors.UnsupportedGrantType(grantType)),
                };
            }
        }

        if (error is not null)
        {
            await error.WriteAsync(context, tokens.AuthorityHost);
            return;
        }

        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        await Http.JsonAsync(context, 200, success, AadError.AadJson);
    }

    /// <summary>Null when the body is not a form of bounded size (Entra then misses grant_type, say).</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength > MaxFormBytes)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }

        try
        {
            return await context.Request.ReadFormAsync(new FormOptions { ValueCountLimit = 64, KeyLengthLimit = 256, ValueLengthLimit = MaxFormBytes }, context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }

    private AadError? CheckClient(IFormCollection form, out AppSpec? app)
    {
        string clientId = form["client_id"].ToString();
        app = null;
        if (clientId.Length == 0)
        {
            return AadErrors.MissingParameter("client_id");
        }

        app = identity.FindApp(clientId);
        return app is null ? AadErrors.UnknownClient(clientId, identity.TenantName) : null;
    }

    private (JsonObject?, AadError?) DeviceCodeToken(IFormCollection form, AppSpec app)
    {
        if (app.Certificate is not null)
        {
            return (null, AadErrors.CredentialRequired());
        }

        if (form.ContainsKey("client_assertion") || form.ContainsKey("client_secret"))
        {
            return (null, AadErrors.PublicClientWithCredential());
        }

        string code = form["device_code"].ToString();
        if (code.Length == 0)
        {
            return (null, AadErrors.MissingParameter("device_code"));
        }

        string? email;
        string scope;
        lock (gate)
        {
            if (!deviceCodes.TryGetValue(code, out DeviceGrant? grant) || !string.Equals(grant.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
            {
                return (null, AadErrors.InvalidGrant());
            }

            if (grant.Expires <= clock.GetUtcNow())
            {
                deviceCodes.Remove(code);
                return (null, AadErrors.DeviceCodeExpired());
            }

            // Nobody signed in yet, or the first poll after the sign-in: still pending.
            if (grant.Email is null || ++grant.SignedInPolls < 2)
            {
                return (null, AadErrors.AuthorizationPending());
            }

            // Entra ID shows a refused sign-in (unknown, disabled, locked, expired password, Conditional Access)
            // to the person in the browser and never authorizes the code: the client polls on until it expires
            // (README, "The device-code flow"). MFA is no refusal here: the person performs it in the browser.
            if (AccountRefusal(grant.Email, mfaSatisfied: true) is not null)
            {
                return (null, AadErrors.AuthorizationPending());
            }

            deviceCodes.Remove(code);
            email = grant.Email;
            scope = grant.Scope;
        }

        return DelegatedToken(app, email, scope, mfa: accounts.State(email) == AccountState.MfaRequired);
    }

    /// <summary>
    /// Entra ID's refusal of the account as it is now, or null. <paramref name="mfaSatisfied"/>: the sign-in
    /// (interactive, or the one behind a refresh token) included MFA.
    /// </summary>
    private AadError? AccountRefusal(string email, bool mfaSatisfied) => accounts.State(email) switch
    {
        null => AadErrors.UserNotFound(identity.TenantId),
        _ when accounts.Status(email)?.Locked == true => AadErrors.Locked(),
        AccountState.Disabled => AadErrors.UserDisabled(),
        AccountState.PasswordExpired => AadErrors.PasswordExpired(),
        AccountState.ConditionalAccessBlocked => AadErrors.ConditionalAccessBlocked(),
        AccountState.MfaRequired when !mfaSatisfied => AadErrors.MfaRequired(),
        _ => null,
    };

    private (JsonObject?, AadError?) RefreshToken(IFormCollection form, AppSpec app)
    {
        string token = form["refresh_token"].ToString();
        if (token.Length == 0)
        {
            return (null, AadErrors.MissingParameter("refresh_token"));
        }

        RefreshGrant? grant;
        lock (gate)
        {
            if (!refreshTokens.TryGetValue(token, out grant) || grant.Expires <= clock.GetUtcNow())
            {
                return (null, AadErrors.BadRefreshToken());
            }

            // Another app's attempt leaves the token to its owner.
            if (!string.Equals(grant.ClientId, app.ClientId, StringComparison.OrdinalIgnoreCase))
            {
                return (null, AadErrors.InvalidGrant());
            }

            // The account as it is now: this is where a session learns that it was disabled, locked, or is now
            // asked for MFA its sign-in did not include. The refusal revokes nothing: the token works again
            // once the account does.
            if (AccountRefusal(grant.Email, grant.Mfa) is { } refusal)
            {
                return (null, refusal);
            }

            // One use only: Entra rotates refresh tokens, the lab makes the old one unusable at once.
            refreshTokens.Remove(token);
        }

        string scope = form["scope"].ToString();
        (JsonObject?, AadError?) answer = scope.Length == 0 ? (null, AadErrors.MissingParameter("scope")) : DelegatedToken(app, grant.Email, scope, grant.Mfa);
        if (answer.Item2 is not null)
        {
            // Refused for the request (scope, consent), not for the grant: the token stays usable.
            lock (gate)
            {
                refreshTokens[token] = grant;
            }
        }

        return answer;
    }

    /// <summary>
    /// The resource and scope names of a delegated request; OpenID scopes are dropped. One resource
    /// per request, as Entra ID demands.
    /// </summary>
    private AadError? ParseDelegatedScopes(string scope, out (string Resource, List<string> Names) parsed)
    {
        parsed = ("", []);
        string? resource = null;
        foreach (string item in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !OidcScopes.Contains(s)))
        {
            if (IdentitySpec.SplitScope(item) is not { } split)
            {
                return Uri.TryCreate(item, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps
                    ? AadErrors.UnknownResource(uri.GetLeftPart(UriPartial.Authority), identity.TenantName)
                    : AadErrors.InvalidScope(item);
            }

            if (resource is not null && !string.Equals(resource, split.Resource, StringComparison.OrdinalIgnoreCase))
            {
                return AadErrors.MoreThanOneResource(scope);
            }

            resource = split.Resource;
            parsed.Names.Add(split.Name);
        }

        if (resource is null)
        {
            return AadErrors.InvalidScope(scope);
        }

        parsed.Resource = resource;
        return null;
    }

    /// <summary>The tokens of an accepted sign-in (the account was checked by the caller), if the app has consent for the scope.</summary>
    private (JsonObject?, AadError?) DelegatedToken(AppSpec app, string email, string scope, bool mfa)
    {
        if (ParseDelegatedScopes(scope, out (string Resource, List<string> Names) requested) is { } scopeError)
        {
            return (null, scopeError);
        }

        if (accounts.Find(email) is not { } account)
        {
            return (null, AadErrors.UserNotFound(identity.TenantId));
        }

        // ".default" means every permission consented for the resource; a named scope must be consented itself.
        List<string> consented = app.ConsentedScopes
            .Select(IdentitySpec.SplitScope)
            .Where(s => s is { } split && string.Equals(split.Resource, requested.Resource, StringComparison.OrdinalIgnoreCase))
            .Select(s => s!.Value.Name)
            .ToList();
        var granted = new List<string>();
        foreach (string name in requested.Names)
        {
            if (name == ".default")
            {
                granted.AddRange(consented);
            }
            else if (consented.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                granted.Add(consented.First(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase)));
            }
            else
            {
                return (null, AadErrors.ConsentRequired(app));
            }
        }

        granted = granted.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (granted.Count == 0)
        {
            return (null, AadErrors.ConsentRequired(app));
        }

        DateTimeOffset now = clock.GetUtcNow();
        string oid = ObjectId("user:" + email.ToLowerInvariant());
        string displayName = account.DisplayName ?? email;
        JsonObject access = AccessTokenClaims(now, requested.Resource, oid, app);
        access["name"] = displayName;
        access["upn"] = email;
        access["unique_name"] = email;
        access["preferred_username"] = email;
        access["scp"] = string.Join(' ', granted);

        JsonObject id = Lifetime(now, app.ClientId);
        id["tid"] = identity.TenantId;
        id["oid"] = oid;
        id["sub"] = oid;
        id["name"] = displayName;
        id["preferred_username"] = email;
        id["ver"] = "2.0";

        string refresh = "1.AQ" + Jwt.Encode(RandomNumberGenerator.GetBytes(64));
        lock (gate)
        {
            DropExpired(now);
            if (refreshTokens.Count >= MaxOutstandingGrants)
            {
                refreshTokens.Remove(refreshTokens.MinBy(pair => pair.Value.Expires).Key);
            }

            refreshTokens[refresh] = new RefreshGrant(app.ClientId, email, mfa, now.AddDays(90));
        }

        string clientInfo = Jwt.Encode(JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["uid"] = oid, ["utid"] = identity.TenantId }));
        return (new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', granted.Select(g => $"{requested.Resource}/{g}")),
            ["expires_in"] = TokenSeconds - 1,
            ["ext_expires_in"] = TokenSeconds - 1,
            ["access_token"] = tokens.Sign(access),
            ["refresh_token"] = refresh,
            ["id_token"] = tokens.Sign(id),
            ["client_info"] = clientInfo,
        }, null);
    }

    // uti: Entra's unique token id; without it two tokens issued in the same second would be identical.
    private JsonObject Lifetime(DateTimeOffset now, string audience) => new()
    {
        ["aud"] = audience,
        ["uti"] = Jwt.Encode(RandomNumberGenerator.GetBytes(16)),
        ["iss"] = tokens.Issuer,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.ToUnixTimeSeconds() + TokenSeconds,
    };

    /// <summary>The claims every access token carries, user or app: lifetime, tenant, subject and client.</summary>
    private JsonObject AccessTokenClaims(DateTimeOffset now, string resource, string oid, AppSpec app)
    {
        JsonObject claims = Lifetime(now, resource);
        claims["tid"] = identity.TenantId;
        claims["oid"] = oid;
        claims["sub"] = oid;
        claims["appid"] = app.ClientId;
        claims["azp"] = app.ClientId;
        return claims;
    }

    /// <summary>A stable directory object id for a user or a service principal.</summary>
    private static string ObjectId(string seed) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16)).ToString();

    // ------------------------------------------------------------ client credentials

    private (JsonObject?, AadError?) ClientCredentialsToken(IFormCollection form, AppSpec app, string tenant)
    {
        string assertion = form["client_assertion"].ToString();
        if (app.PublicClient)
        {
            return (null, assertion.Length > 0 || form.ContainsKey("client_secret") ? AadErrors.PublicClientWithCredential() : AadErrors.CredentialRequired());
        }

        if (assertion.Length == 0 || form["client_assertion_type"] != JwtBearerAssertion)
        {
            return (null, AadErrors.CredentialRequired());
        }

        if (CheckAssertion(assertion, app, tenant) is { } assertionError)
        {
            return (null, assertionError);
        }

        string scope = form["scope"].ToString().Trim();
        if (scope.Length == 0)
        {
            return (null, AadErrors.MissingParameter("scope"));
        }

        if (scope.Contains(' ', StringComparison.Ordinal) || IdentitySpec.SplitScope(scope) is not { Name: ".default" } split)
        {
            return Uri.TryCreate(scope, UriKind.Absolute, out Uri? uri) && scope.EndsWith("/.default", StringComparison.Ordinal) && IdentitySpec.SplitScope(scope) is null
                ? (null, AadErrors.UnknownResource(uri.GetLeftPart(UriPartial.Authority), identity.TenantName))
                : (null, AadErrors.ClientCredentialScope(scope));
        }

        DateTimeOffset now = clock.GetUtcNow();
        string oid = ObjectId("app:" + app.ClientId.ToLowerInvariant());
        JsonObject access = AccessTokenClaims(now, split.Resource, oid, app);
        access["idtyp"] = "app";
        access["roles"] = new JsonArray([.. app.Roles.Select(r => (JsonNode?)JsonValue.Create(r))]);
        return (new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenSeconds - 1,
            ["ext_expires_in"] = TokenSeconds - 1,
            ["access_token"] = tokens.Sign(access),
        }, null);
    }

    /// <summary>
    /// Checks MSAL's client assertion as Entra ID does: a JWT signed (RS256 or PS256) by the app's
    /// registered certificate, named by x5t or x5t#S256, for this token endpoint, iss = sub = the
    /// client id, within its lifetime.
    /// </summary>
    private AadError? CheckAssertion(string assertion, AppSpec app, string tenant)
    {
        ParsedJwt? jwt = Jwt.Parse(assertion);
        if (jwt is null || jwt.HeaderString("alg") is not ("RS256" or "PS256"))
        {
            return AadErrors.MalformedAssertion();
        }

        X509Certificate2 registered = appCertificates[app.Certificate!];
        string sha1 = Jwt.Encode(registered.GetCertHash(HashAlgorithmName.SHA1));
        string sha256 = Jwt.Encode(registered.GetCertHash(HashAlgorithmName.SHA256));
        string? x5t = jwt.HeaderString("x5t");
        string? x5tS256 = jwt.HeaderString("x5t#S256");
        string used = ThumbprintHex(x5t ?? x5tS256);
        if (x5t != sha1 && x5tS256 != sha256)
        {
            return AadErrors.UnregisteredCertificate(used, app.ClientId);
        }

        using RSA? key = registered.GetRSAPublicKey();
        if (key is null || !jwt.VerifySignature(key))
        {
            return AadErrors.BadAssertionSignature(used);
        }

        // MSAL puts the token endpoint it calls in aud; Entra also takes the tenant's issuer-style forms.
        string endpoint = $"{Base}/{tenant}/oauth2/v2.0/token";
        string[] accepted = [endpoint, $"{Base}/{identity.TenantId}/oauth2/v2.0/token", $"{Base}/{identity.TenantName}/oauth2/v2.0/token", tokens.Issuer];
        if (!jwt.Audiences().Any(a => accepted.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            return AadErrors.AssertionAudience();
        }

        if (!string.Equals(jwt.Claim("iss"), app.ClientId, StringComparison.OrdinalIgnoreCase) || !string.Equals(jwt.Claim("sub"), app.ClientId, StringComparison.OrdinalIgnoreCase))
        {
            return AadErrors.AssertionSubject();
        }

        DateTimeOffset now = clock.GetUtcNow();
        long seconds = now.ToUnixTimeSeconds();
        long? exp = jwt.Time("exp");
        long? nbf = jwt.Time("nbf");
        long skew = (long)LabTokens.Skew.TotalSeconds;
        if (exp is null || exp <= seconds - skew || nbf > seconds + skew)
        {
            return AadErrors.AssertionLifetime(now, nbf, exp);
        }

        return null;
    }

    /// <summary>Entra quotes the client's thumbprint as upper-case hex; an undecodable one is quoted as given.</summary>
    private static string ThumbprintHex(string? base64Url)
    {
        if (base64Url is null)
        {
            return "";
        }

        try
        {
            return Convert.ToHexString(System.Buffers.Text.Base64Url.DecodeFromChars(base64Url));
        }
        catch (FormatException)
        {
            return base64Url.Length <= 64 ? base64Url : base64Url[..64];
        }
    }

    // ------------------------------------------------------------ introspection

    /// <summary>RFC 7662 for lab resource servers (Dovecot's fallback): verified as EWS verifies a token.</summary>
    private async Task IntrospectAsync(HttpContext context)
    {
        if (await ReadFormAsync(context) is not { } form || form["token"].ToString() is not { Length: > 0 } token)
        {
            await Http.JsonAsync(context, 400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "The request body must contain the parameter 'token'." });
            return;
        }

        TokenCheck check = tokens.Validate(token, clock.GetUtcNow());
        if (check.Token is not { } jwt)
        {
            await Http.JsonAsync(context, 200, new JsonObject { ["active"] = false });
            return;
        }

        var answer = new JsonObject
        {
            ["active"] = true,
            ["token_type"] = "Bearer",
            ["client_id"] = jwt.Claim("appid"),
            ["aud"] = jwt.Audiences().FirstOrDefault(),
            ["iss"] = jwt.Claim("iss"),
            ["sub"] = jwt.Claim("sub"),
            ["exp"] = jwt.Time("exp"),
            ["iat"] = jwt.Time("iat"),
        };
        if (jwt.Claim("upn") is { } upn)
        {
            answer["upn"] = upn;
            answer["username"] = upn;
            answer["preferred_username"] = jwt.Claim("preferred_username");
            answer["scp"] = jwt.Claim("scp");
            answer["scope"] = jwt.Claim("scp");
        }

        if (jwt.Payload.TryGetProperty("roles", out JsonElement roles))
        {
            answer["roles"] = JsonNode.Parse(roles.GetRawText());
        }

        await Http.JsonAsync(context, 200, answer);
    }
}
