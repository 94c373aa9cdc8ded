using System;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ExchangeEmulator;

/// <summary>One Entra ID refusal: the OAuth error, the AADSTS number, its text and the HTTP status.</summary>
public sealed record AadError(int Status, string Error, int Code, string Description, string? SubError = null)
{
    /// <summary>
    /// The body Entra ID sends (HTTP 400, or 401 for invalid_client): error_description starts with
    /// "AADSTSnnnnn: " and ends with the trace and correlation ids and a timestamp, each after "\r\n".
    /// The correlation id echoes the client's client-request-id header when it is a GUID, as Entra does.
    /// </summary>
    public Task WriteAsync(HttpContext context, string authorityHost)
    {
        string traceId = Guid.NewGuid().ToString();
        string correlationId = Guid.TryParse(context.Request.Headers["client-request-id"].ToString(), out Guid given) ? given.ToString() : Guid.NewGuid().ToString();
        string timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://{authorityHost}/error?code={Code}",
        };
        if (SubError is not null)
        {
            body["suberror"] = SubError;
        }

        context.Response.Headers["x-ms-request-id"] = traceId;
        context.Response.Headers["client-request-id"] = correlationId;
        return Http.JsonAsync(context, Status, body, AadJson);
    }

    /// <summary>Entra ID writes quotes and apostrophes as they are, not as \u0027.</summary>
    public static readonly JsonSerializerOptions AadJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>
/// The AADSTS answers the lab gives, with Microsoft's texts as Entra ID sends them (public
/// captures in MSAL, Azure CLI and other issue trackers; see README for which are UNCONFIRMED).
/// </summary>
public static class AadErrors
{
    // Resource of Exchange Online, named in the MFA text as Entra ID names the resource app.
    private const string ExchangeOnlineAppId = "00000002-0000-0ff1-ce00-000000000000";

    public static AadError MissingParameter(string name) =>
        new(400, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

    public static AadError MalformedRequest() =>
        new(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");

    public static AadError TenantNotFound(string tenant) =>
        new(400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");

    public static AadError UnknownClient(string clientId, string tenantName) =>
        new(400, "unauthorized_client", 700016, $"Application with identifier '{clientId}' was not found in the directory '{tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static AadError CredentialRequired() =>
        new(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static AadError PublicClientWithCredential() =>
        new(401, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");

    public static AadError UnsupportedGrantType(string grantType) =>
        new(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.");

    public static AadError AuthorizationPending() =>
        new(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");

    public static AadError DeviceCodeExpired() =>
        new(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired.");

    public static AadError InvalidGrant() =>
        new(400, "invalid_grant", 70000, "Provided grant is invalid or malformed.");

    public static AadError BadRefreshToken() =>
        new(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");

    public static AadError InvalidScope(string scope) =>
        new(400, "invalid_scope", 70011, $"The provided value for the input parameter 'scope' is not valid. The scope '{scope}' is not valid.");

    public static AadError MoreThanOneResource(string scope) =>
        new(400, "invalid_scope", 28000, $"Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid.");

    public static AadError UnknownResource(string resource, string tenantName) =>
        new(400, "invalid_resource", 500011, $"The resource principal named {resource} was not found in the tenant named {tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.");

    public static AadError ClientCredentialScope(string scope) =>
        new(400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static AadError MalformedAssertion() =>
        new(400, "invalid_request", 50027, "JWT token is invalid or malformed.");

    public static AadError UnregisteredCertificate(string thumbprint, string clientId) =>
        new(401, "invalid_client", 700027, $"The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{clientId}'.]");

    public static AadError BadAssertionSignature(string thumbprint) =>
        new(401, "invalid_client", 700027, $"Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '{thumbprint}']");

    public static AadError AssertionAudience() =>
        new(401, "invalid_client", 50012, "Client assertion audience claim does not match Realm issuer.");

    public static AadError AssertionSubject() =>
        new(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");

    public static AadError AssertionLifetime(DateTimeOffset now, long? nbf, long? exp) =>
        new(401, "invalid_client", 700024, $"Client assertion is not within its valid time range. Current time: {now.UtcDateTime:o}, assertion valid from {FromUnix(nbf)}, expiry time of assertion {FromUnix(exp)}.");

    public static AadError UserNotFound(string tenantId) =>
        new(400, "invalid_grant", 50034, $"The user account {{EmailHidden}} does not exist in the '{tenantId}' directory. To sign into this application, the account must be added to the directory.");

    public static AadError UserDisabled() =>
        new(400, "invalid_grant", 50057, "The user account is disabled.");

    public static AadError PasswordExpired() =>
        new(400, "invalid_grant", 50055, "The password is expired.", "user_password_expired");

    public static AadError Locked() =>
        new(400, "invalid_grant", 50053, "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.");

    public static AadError ConditionalAccessBlocked() =>
        new(400, "invalid_grant", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");

    public static AadError MfaRequired() =>
        new(400, "interaction_required", 50076, $"Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{ExchangeOnlineAppId}'.", "basic_action");

    public static AadError ConsentRequired(AppSpec app) =>
        new(400, "invalid_grant", 65001, $"The user or administrator has not consented to use the application with ID '{app.ClientId}' named '{app.Name}'. Send an interactive authorization request for this user and resource.", "consent_required");

    private static string FromUnix(long? seconds) =>
        seconds is long s ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(s, 0, 253402300799)).UtcDateTime.ToString("o", CultureInfo.InvariantCulture) : DateTime.UnixEpoch.ToString("o", CultureInfo.InvariantCulture);
}
