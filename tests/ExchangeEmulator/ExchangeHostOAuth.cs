using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace ExchangeEmulator;

/// <summary>Who a verified Bearer token speaks for: a user (delegated, Upn set) or an app (app-only).</summary>
internal sealed record BearerPrincipal(string? Upn, string[] Scopes, string[] Roles);

/// <summary>Exchange Online's side of OAuth on an "oauth" host: Bearer verification and its 401/403 answers.</summary>
public sealed partial class ExchangeHost
{
    private const string EwsDelegatedScope = "EWS.AccessAsUser.All";
    private const string EwsAppRole = "full_access_as_app";

    // The challenge of Exchange Online (a Microsoft Learn capture of the same header from Exchange
    // on-premises with hybrid modern auth has client_id, trusted_issuers, authorization_uri, error).
    private const string BearerChallenge =
        "Bearer client_id=\"00000002-0000-0ff1-ce00-000000000000\", trusted_issuers=\"00000001-0000-0000-c000-000000000000@*\", " +
        "token_types=\"app_asserted_user_v1 service_asserted_app_v1\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\"";

    private static readonly XNamespace EwsTypes = "http://schemas.microsoft.com/exchange/services/2006/types";

    /// <summary>
    /// The verified principal of the request's Bearer token; null after answering 401 (no token,
    /// Basic or another scheme, or a token that fails verification).
    /// </summary>
    private async Task<BearerPrincipal?> BearerAsync(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || tokens is null)
        {
            // Basic is off in Exchange Online: the same answer whatever the password, and nothing is
            // counted against the account (no directory sign-in happens).
            context.Response.Headers.WWWAuthenticate = "Basic Realm=\"\",Negotiate," + BearerChallenge;
            context.Response.StatusCode = 401;
            return null;
        }

        TokenCheck check = tokens.Validate(header[7..].Trim(), DateTimeOffset.UtcNow);
        if (check.Token is not { } jwt)
        {
            (int code, string category) = check.Problem switch
            {
                TokenProblem.BadAudience => (2000003, "invalid_resource"),
                TokenProblem.UnknownKey or TokenProblem.BadSignature => (2000001, "invalid_signature"),
                TokenProblem.Expired => (2000001, "expired_token"),
                _ => (2000001, "invalid_token"),
            };
            context.Response.Headers.WWWAuthenticate = BearerChallenge + ", error=\"invalid_token\"";
            context.Response.Headers["x-ms-diagnostics"] = $"{code};reason=\"{check.Reason.Replace('"', '\'')}\";error_category=\"{category}\"";
            context.Response.StatusCode = 401;
            return null;
        }

        string[] roles = jwt.Payload.TryGetProperty("roles", out JsonElement array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
            : [];
        string[] scopes = (jwt.Claim("scp") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new BearerPrincipal(jwt.Claim("upn") ?? jwt.Claim("preferred_username"), scopes, roles);
    }

    /// <summary>EWS.AccessAsUser.All for a user, full_access_as_app for an app; otherwise 403 ErrorAccessDenied.</summary>
    private static async Task<bool> AuthorizeAsync(HttpContext context, BearerPrincipal principal)
    {
        bool allowed = principal.Upn is not null
            ? principal.Scopes.Contains(EwsDelegatedScope, StringComparer.OrdinalIgnoreCase)
            : principal.Roles.Contains(EwsAppRole, StringComparer.Ordinal);
        if (!allowed)
        {
            await Http.XmlAsync(context, 403, SoapFault("ErrorAccessDenied", "Access is denied. Check credentials and try again."));
        }

        return allowed;
    }

    private async Task OAuthEwsAsync(HttpContext context)
    {
        if (await BearerAsync(context) is not { } principal || !await AuthorizeAsync(context, principal))
        {
            return;
        }

        context.Response.Headers["X-TargetBEServer"] = FrontEnd + ".lab.test";
        context.Response.Headers["X-DiagInfo"] = FrontEnd;
        string body = HttpMethods.IsPost(context.Request.Method) ? await Http.ReadBodyAsync(context.Request) : "";
        XDocument? request = ParseSoap(body);
        if (request is null || !request.Descendants().Any(e => e.Name.LocalName == "GetFolder"))
        {
            await Http.XmlAsync(context, 500, SoapFault("ErrorInvalidRequest", "The request is invalid."));
            return;
        }

        // An app token acts for no one until the request names a mailbox.
        string? mailbox = principal.Upn ?? ImpersonatedMailbox(request) ?? AnchorMailbox(context.Request);
        if (mailbox is null)
        {
            await Http.XmlAsync(context, 500, SoapFault("ErrorInvalidExchangeImpersonationHeaderData", "ExchangeImpersonation SOAP header must be present for this type of OAuth token."));
            return;
        }

        if (accounts.Find(mailbox) is null)
        {
            await Http.XmlAsync(context, 500, SoapFault("ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it."));
            return;
        }

        await Http.XmlAsync(context, 200, GetFolderResponse(mailbox));
    }

    private static XDocument? ParseSoap(string body)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), SafeXml);
            return XDocument.Load(reader);
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>ExchangeImpersonation/ConnectingSID: PrimarySmtpAddress, SmtpAddress or PrincipalName.</summary>
    private static string? ImpersonatedMailbox(XDocument request) =>
        request.Descendants(EwsTypes + "ExchangeImpersonation")
            .Elements(EwsTypes + "ConnectingSID").Elements()
            .Where(e => e.Name.LocalName is "PrimarySmtpAddress" or "SmtpAddress" or "PrincipalName")
            .Select(e => e.Value.Trim())
            .FirstOrDefault(v => v.Length > 0);

    /// <summary>X-AnchorMailbox: SMTP:user@domain (the prefix is optional in practice).</summary>
    private static string? AnchorMailbox(HttpRequest request)
    {
        string? anchor = request.Headers["X-AnchorMailbox"];
        if (string.IsNullOrWhiteSpace(anchor))
        {
            return null;
        }

        anchor = anchor.Trim();
        return anchor.StartsWith("SMTP:", StringComparison.OrdinalIgnoreCase) ? anchor[5..] : anchor;
    }
}
