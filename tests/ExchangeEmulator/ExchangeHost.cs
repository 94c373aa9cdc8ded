using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using System.Web;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ExchangeEmulator;

/// <summary>
/// The "exchange" role: OWA forms login, EWS GetFolder, Autodiscover POX and JSON v2, with the
/// status codes, redirects, cookies and headers of an Exchange 2016/2019 front end
/// (PROTOCOL-NOTES sections 2 to 4). An "oauth" host is Exchange Online instead: EWS and
/// Autodiscover take Bearer tokens of the lab identity provider only (ExchangeHostOAuth.cs).
/// </summary>
public sealed partial class ExchangeHost(LabConfig config, AccountStore accounts, LabTokens? tokens)
{
    private const string FrontEnd = "EXLAB01";
    private const string OwaVersion = "15.1.2507.6";
    private const string LockedOutText = "The referenced account is currently locked out and may not be logged on to.";
    private const string JsonPrefix = "/autodiscover/autodiscover.json/v1.0/";
    private static readonly string[] CadataCookies = ["cadata", "cadataTTL", "cadataKey", "cadataIV", "cadataSig"];

    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    private static readonly XNamespace Messages = "http://schemas.microsoft.com/exchange/services/2006/messages";
    private static readonly XNamespace Types = "http://schemas.microsoft.com/exchange/services/2006/types";
    private static readonly XNamespace Errors = "http://schemas.microsoft.com/exchange/services/2006/errors";
    private static readonly XNamespace AdRequest = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private static readonly XNamespace AdResponse = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    private static readonly XNamespace AdOutlook = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    // A request body is untrusted input: no DTD (entity expansion, external entities), no resolver.
    private static readonly XmlReaderSettings SafeXml = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 1024 * 1024,
    };

    // Exchange's JSON uses PascalCase names and plain quotes in messages.
    private static readonly JsonSerializerOptions PascalJson = new()
    {
        PropertyNamingPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public Task HandleAsync(HttpContext context, HostSpec host)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers["X-FEServer"] = FrontEnd;
        headers["request-id"] = Guid.NewGuid().ToString();
        headers.Server = "Microsoft-IIS/10.0";
        headers["X-Powered-By"] = "ASP.NET";

        string path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/owa", StringComparison.OrdinalIgnoreCase))
        {
            headers["X-OWA-Version"] = OwaVersion;
            return OwaAsync(context, host, path);
        }

        if (Http.PathIs(context, "/EWS/Exchange.asmx"))
        {
            return EwsAsync(context, host);
        }

        if (Http.PathIs(context, "/autodiscover/autodiscover.xml"))
        {
            return AutodiscoverPoxAsync(context, host);
        }

        if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith(JsonPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AutodiscoverJsonAsync(context);
        }

        return Http.TextAsync(context, 404, "404 - File or directory not found.");
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static string LogonUrl(HttpContext context, string destination, int reason) =>
        $"{BaseUrl(context)}/owa/auth/logon.aspx?url={HttpUtility.UrlEncode(destination)}&reason={reason}";

    // ---------------------------------------------------------------- OWA

    private Task OwaAsync(HttpContext context, HostSpec host, string path)
    {
        string method = context.Request.Method;
        if (HttpMethods.IsGet(method) && (path.Equals("/owa", StringComparison.OrdinalIgnoreCase) || path.Equals("/owa/", StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = LogonUrl(context, BaseUrl(context) + "/owa/", 0);
            return Task.CompletedTask;
        }

        if (HttpMethods.IsGet(method) && Http.PathIs(context, "/owa/auth/logon.aspx"))
        {
            return LogonPageAsync(context, host);
        }

        // Exchange 2007 knows only owaauth.dll; 2010 and later post to auth.owa and still accept owaauth.dll.
        bool loginPath = Http.PathIs(context, "/owa/auth/owaauth.dll") || (!host.LegacyOwaOnly && Http.PathIs(context, "/owa/auth.owa"));
        if (HttpMethods.IsPost(method) && loginPath)
        {
            return OwaLoginAsync(context, host);
        }

        return Http.TextAsync(context, 404, "404 - File or directory not found.");
    }

    private static Task LogonPageAsync(HttpContext context, HostSpec host)
    {
        string destination = context.Request.Query["url"].FirstOrDefault() ?? BaseUrl(context) + "/owa/";
        string action = host.LegacyOwaOnly ? "/owa/auth/owaauth.dll" : "/owa/auth.owa";
        string html =
            "<!DOCTYPE html><html><head><title>Outlook</title></head><body>" +
            $"<form action=\"{action}\" method=\"POST\" name=\"logonForm\" enctype=\"application/x-www-form-urlencoded\">" +
            $"<input type=\"hidden\" name=\"destination\" value=\"{WebUtility.HtmlEncode(destination)}\">" +
            "<input type=\"hidden\" name=\"flags\" value=\"4\"><input type=\"hidden\" name=\"forcedownlevel\" value=\"0\">" +
            "<label>Domain\\user name: <input name=\"username\" type=\"text\"></label>" +
            "<label>Password: <input name=\"password\" type=\"password\"></label>" +
            "<input type=\"hidden\" name=\"passwordText\" value=\"\"><input type=\"hidden\" name=\"isUtf8\" value=\"1\">" +
            "<input type=\"submit\" value=\"sign in\"></form></body></html>";
        return Http.TextAsync(context, 200, html, "text/html");
    }

    private async Task OwaLoginAsync(HttpContext context, HostSpec host)
    {
        if (!context.Request.HasFormContentType)
        {
            await Http.TextAsync(context, 400, "400 - Bad Request");
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        string? username = form["username"];
        string? password = form["password"];
        string? destination = form["destination"];
        if (string.IsNullOrEmpty(username) || password is null || string.IsNullOrEmpty(destination) || string.IsNullOrEmpty(form["flags"]))
        {
            await Http.TextAsync(context, 400, "400 - Bad Request");
            return;
        }

        LoginResult result = accounts.Login(username, password);
        if (host.EchoesCredentials && result != LoginResult.Success)
        {
            // The posted form, URL-encoded, back in the logon page's address.
            string echoed = string.Join("&", form.Select(field => $"{field.Key}={Uri.EscapeDataString(field.Value.ToString())}"));
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = $"{LogonUrl(context, destination, 2)}&{echoed}";
            return;
        }

        context.Response.StatusCode = 302;
        if (result == LoginResult.Success)
        {
            foreach (string name in CadataCookies)
            {
                string value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(name == "cadata" ? 96 : 24));
                context.Response.Headers.Append("Set-Cookie", $"{name}=\"{value}\"; HttpOnly; Secure; path=/");
            }

            context.Response.Headers.Location = destination;
            return;
        }

        // Every failure also sends cadata cookies, expired, to delete them: a client must look
        // for a non-empty cadata, not for the cookie's name.
        foreach (string name in CadataCookies)
        {
            context.Response.Headers.Append("Set-Cookie", $"{name}=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/; HttpOnly; Secure");
        }

        // Locked accounts get the generic reason 2 (UNCONFIRMED in the notes: no distinct code is known).
        context.Response.Headers.Location = result switch
        {
            LoginResult.PasswordExpired when host.ChangeExpiredPasswordEnabled => $"{BaseUrl(context)}/owa/auth/expiredpassword.aspx?url={HttpUtility.UrlEncode(destination)}",
            LoginResult.BlockedByAccessRule => LogonUrl(context, destination, 5),
            LoginResult.BlockedByEacRule => LogonUrl(context, destination, 6),
            _ => LogonUrl(context, destination, 2),
        };
    }

    // ---------------------------------------------------------------- shared Basic authentication

    /// <summary>Result is null when the request holds no Basic credentials (IIS then just challenges).</summary>
    private (LoginResult? Result, string User) Authenticate(HttpContext context) =>
        Http.BasicCredentials(context.Request) is { } credentials ? (accounts.Login(credentials.User, credentials.Password), credentials.User) : (null, "");

    /// <summary>Answers a refused login as IIS does and returns false; true lets the request go on.</summary>
    private static async Task<bool> AdmitAsync(HttpContext context, LoginResult? result, HostSpec? host = null)
    {
        if (host?.EchoesCredentials == true && result is not (LoginResult.Success or null))
        {
            // A front end that puts what it could not authenticate into its error header.
            context.Response.Headers["X-CasErrorCode"] = $"AuthFailed: {context.Request.Headers.Authorization}";
            await Http.TextAsync(context, 500, $"500 - Authorization {context.Request.Headers.Authorization} refused.");
            return false;
        }

        switch (result)
        {
            case LoginResult.Success or LoginResult.BlockedByEacRule:
                // An EAC rule only guards the admin center.
                return true;
            case LoginResult.BlockedByAccessRule:
                // UNCONFIRMED: a client access rule that blocks every protocol refuses EWS and Autodiscover too.
                await Http.TextAsync(context, 403, "403 - Forbidden: Access is denied.");
                return false;
            default:
                context.Response.Headers.WWWAuthenticate = new StringValues(["Negotiate", "NTLM", $"Basic realm=\"{context.Request.Host.Host}\""]);
                // An expired password fails Basic logon like a wrong one (UNCONFIRMED).
                string text = result == LoginResult.Locked ? LockedOutText : "401 - Unauthorized: Access is denied due to invalid credentials.";
                await Http.TextAsync(context, 401, text);
                return false;
        }
    }

    // ---------------------------------------------------------------- EWS

    private async Task EwsAsync(HttpContext context, HostSpec host)
    {
        if (host.CasError is { } casError)
        {
            // The front end could not reach a back end: no authentication happens at all.
            context.Response.Headers["X-CasErrorCode"] = casError;
            await Http.TextAsync(context, 500, "500 - Internal server error.");
            return;
        }

        if (host.OAuth)
        {
            await OAuthEwsAsync(context);
            return;
        }

        (LoginResult? result, string user) = Authenticate(context);
        if (host.LockedAnswers456 && result == LoginResult.Locked)
        {
            await Http.TextAsync(context, 456, "456 - The account is locked or multi-factor authentication is required.");
            return;
        }

        if (!await AdmitAsync(context, result, host))
        {
            return;
        }

        context.Response.Headers["X-TargetBEServer"] = FrontEnd + ".lab.test";
        context.Response.Headers["X-DiagInfo"] = FrontEnd;
        string body = HttpMethods.IsPost(context.Request.Method) ? await Http.ReadBodyAsync(context.Request) : "";
        if (!body.Contains("GetFolder", StringComparison.Ordinal))
        {
            // Only GetFolder is emulated; anything else gets the fault EWS sends for a bad request.
            await Http.XmlAsync(context, 500, SoapFault("ErrorInvalidRequest", "The request is invalid."));
            return;
        }

        await Http.XmlAsync(context, 200, GetFolderResponse(user));
    }

    private static XDocument GetFolderResponse(string user)
    {
        // A stable id per mailbox, shaped like the real base64 ones.
        string folderId = "AAMkA" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(user.ToLowerInvariant())));
        var versionInfo = new XElement(Types + "ServerVersionInfo", new XAttribute(XNamespace.Xmlns + "h", Types),
            new XAttribute("MajorVersion", "15"), new XAttribute("MinorVersion", "1"),
            new XAttribute("MajorBuildNumber", "2507"), new XAttribute("MinorBuildNumber", "6"),
            new XAttribute("Version", "V2017_07_11"));
        var message = new XElement(Messages + "GetFolderResponseMessage", new XAttribute("ResponseClass", "Success"),
            new XElement(Messages + "ResponseCode", "NoError"),
            new XElement(Messages + "Folders",
                new XElement(Types + "Folder",
                    new XElement(Types + "FolderId", new XAttribute("Id", folderId), new XAttribute("ChangeKey", "AQAAABYAAAAAAAAAAAAAAAAAAAAA")))));
        var response = new XElement(Messages + "GetFolderResponse",
            new XAttribute(XNamespace.Xmlns + "m", Messages), new XAttribute(XNamespace.Xmlns + "t", Types),
            new XElement(Messages + "ResponseMessages", message));
        return new XDocument(new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "s", Soap),
            new XElement(Soap + "Header", versionInfo),
            new XElement(Soap + "Body", response)));
    }

    private static XDocument SoapFault(string code, string text) =>
        new(new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "s", Soap),
            new XElement(Soap + "Body",
                new XElement(Soap + "Fault",
                    new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "a", Types), "a:" + code),
                    new XElement("faultstring", new XAttribute(XNamespace.Xml + "lang", "en-US"), text),
                    new XElement("detail", new XAttribute(XNamespace.Xmlns + "e", Errors),
                        new XElement(Errors + "ResponseCode", code),
                        new XElement(Errors + "Message", text))))));

    // ---------------------------------------------------------------- Autodiscover

    private async Task AutodiscoverPoxAsync(HttpContext context, HostSpec host)
    {
        bool admitted = host.OAuth
            ? await BearerAsync(context) is { } principal && await AuthorizeAsync(context, principal)
            : await AdmitAsync(context, Authenticate(context).Result);
        if (!admitted)
        {
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await Http.XmlAsync(context, 200, AutodiscoverError(600));
            return;
        }

        XDocument request;
        try
        {
            using var reader = XmlReader.Create(new StringReader(await Http.ReadBodyAsync(context.Request)), SafeXml);
            request = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            // Not well-formed, or a DTD: refused before any of it is processed.
            await Http.TextAsync(context, 400, "400 - Bad Request");
            return;
        }

        XElement? requestElement = request.Root?.Name == AdRequest + "Autodiscover" ? request.Root.Element(AdRequest + "Request") : null;
        string? email = requestElement?.Element(AdRequest + "EMailAddress")?.Value.Trim();
        string? schema = requestElement?.Element(AdRequest + "AcceptableResponseSchema")?.Value.Trim();
        if (string.IsNullOrEmpty(email) || schema is null)
        {
            await Http.XmlAsync(context, 200, AutodiscoverError(600));
            return;
        }

        if (schema != AdOutlook.NamespaceName)
        {
            await Http.XmlAsync(context, 200, AutodiscoverError(601));
            return;
        }

        string domain = email[(email.LastIndexOf('@') + 1)..];
        string requestHost = context.Request.Host.Host;
        AutodiscoverRule? rule = email.Contains('@')
            ? config.Autodiscover
                .Where(r => string.Equals(r.Domain, domain, StringComparison.OrdinalIgnoreCase))
                .Where(r => r.Host == null || string.Equals(r.Host, requestHost, StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.Host == null)
                .FirstOrDefault()
            : null;
        XDocument response = rule?.Action switch
        {
            AutodiscoverAction.Settings => AutodiscoverSettings(email, rule.Server!),
            AutodiscoverAction.RedirectAddr => AutodiscoverAccount(new XElement(AdOutlook + "Action", "redirectAddr"), new XElement(AdOutlook + "RedirectAddr", rule.RedirectAddr)),
            AutodiscoverAction.RedirectUrl => AutodiscoverAccount(new XElement(AdOutlook + "Action", "redirectUrl"), new XElement(AdOutlook + "RedirectUrl", rule.RedirectUrl)),
            AutodiscoverAction.Error => AutodiscoverError(rule.ErrorCode),
            _ => AutodiscoverError(500),
        };
        await Http.XmlAsync(context, 200, response);
    }

    private XDocument AutodiscoverSettings(string email, string server)
    {
        string displayName = accounts.Find(email)?.DisplayName ?? email[..email.IndexOf('@', StringComparison.Ordinal)];
        string ews = $"https://{server}/EWS/Exchange.asmx";
        XElement Protocol(string type) => new(AdOutlook + "Protocol",
            new XElement(AdOutlook + "Type", type),
            new XElement(AdOutlook + "Server", server),
            new XElement(AdOutlook + "SSL", "On"),
            new XElement(AdOutlook + "ASUrl", ews),
            new XElement(AdOutlook + "EwsUrl", ews),
            new XElement(AdOutlook + "OOFUrl", ews),
            new XElement(AdOutlook + "EcpUrl", $"https://{server}/ecp/"));

        return AutodiscoverOutlook(
            new XElement(AdOutlook + "User",
                new XElement(AdOutlook + "DisplayName", displayName),
                new XElement(AdOutlook + "AutoDiscoverSMTPAddress", email)),
            new XElement(AdOutlook + "Account",
                new XElement(AdOutlook + "AccountType", "email"),
                new XElement(AdOutlook + "Action", "settings"),
                Protocol("EXCH"),
                Protocol("EXPR"),
                new XElement(AdOutlook + "Protocol",
                    new XElement(AdOutlook + "Type", "WEB"),
                    new XElement(AdOutlook + "External",
                        new XElement(AdOutlook + "OWAUrl", new XAttribute("AuthenticationMethod", "Fba"), $"https://{server}/owa/")))));
    }

    private static XDocument AutodiscoverAccount(params XElement[] content) =>
        AutodiscoverOutlook(new XElement(AdOutlook + "Account", new XElement(AdOutlook + "AccountType", "email"), content));

    // The outer element is in the generic response schema, Response and below in the Outlook one.
    private static XDocument AutodiscoverOutlook(params XElement[] content) =>
        new(new XElement(AdResponse + "Autodiscover", new XElement(AdOutlook + "Response", content)));

    private static XDocument AutodiscoverError(int code)
    {
        string message = code switch
        {
            500 => "The e-mail address cannot be found.",
            501 => "Bad Address",
            600 => "Invalid Request",
            601 => "Provider is not available",
            602 => "Configuration error",
            603 => "Internal Server Error",
            _ => "Error",
        };
        return new XDocument(
            new XElement(AdResponse + "Autodiscover",
                new XElement(AdResponse + "Response",
                    new XElement(AdResponse + "Error",
                        new XAttribute("Time", DateTime.UtcNow.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)),
                        new XAttribute("Id", "2477272013"),
                        new XElement(AdResponse + "ErrorCode", code),
                        new XElement(AdResponse + "Message", message),
                        new XElement(AdResponse + "DebugData")))));
    }

    private static Task AutodiscoverJsonAsync(HttpContext context)
    {
        // Unauthenticated by design: it tells only where to go next.
        string protocol = context.Request.Query["Protocol"].FirstOrDefault() ?? "";
        string? url = protocol.ToUpperInvariant() switch
        {
            "EWS" => "/EWS/Exchange.asmx",
            "AUTODISCOVERV1" => "/autodiscover/autodiscover.xml",
            _ => null,
        };
        if (url is null)
        {
            return Http.JsonAsync(context, 400, new
            {
                ErrorCode = "InvalidProtocol",
                ErrorMessage = $"The given protocol value '{protocol}' is invalid. Supported values are 'AutodiscoverV1,Ews'.",
            }, PascalJson);
        }

        string canonical = url.StartsWith("/EWS", StringComparison.Ordinal) ? "EWS" : "AutodiscoverV1";
        return Http.JsonAsync(context, 200, new { Protocol = canonical, Url = BaseUrl(context) + url }, PascalJson);
    }
}
