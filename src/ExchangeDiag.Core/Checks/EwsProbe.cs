using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using ExchangeDiag.Http;

namespace ExchangeDiag.Checks;

/// <summary>What one authenticated EWS GetFolder request said.</summary>
internal enum EwsAnswer
{
    Success,
    Unauthorized,
    Locked,

    /// <summary>HTTP 456 from Exchange Online: the account is locked or must pass multi-factor authentication.</summary>
    LockedOrMfaRequired,

    /// <summary>Exchange Online refused a Bearer token (401 invalid_token, or 403 for a permission it lacks).</summary>
    TokenRefused,
    ServerError,
    NotEws,
    NoAnswer,
}

/// <summary>The smallest authenticated EWS request: GetFolder of the inbox, IdOnly, with Basic auth or a Bearer token.</summary>
internal static class EwsProbe
{
    private const string LockedText = "currently locked out";

    /// <summary>Exchange Online's answer for a locked account or one that needs MFA (the EWS Managed API's AccountIsLocked).</summary>
    private const int LockedOrMfaStatus = 456;
    private const string TypesNamespace = "http://schemas.microsoft.com/exchange/services/2006/types";
    private const string MessagesNamespace = "http://schemas.microsoft.com/exchange/services/2006/messages";

    private const string GetInboxStart =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>" +
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:t=\"" + TypesNamespace + "\" xmlns:m=\"" + MessagesNamespace + "\">" +
        "<soap:Header><t:RequestServerVersion Version=\"Exchange2013\" />";

    private const string GetInboxEnd =
        "</soap:Header>" +
        "<soap:Body><m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>" +
        "<m:FolderIds><t:DistinguishedFolderId Id=\"inbox\" /></m:FolderIds></m:GetFolder></soap:Body></soap:Envelope>";

    /// <summary>The SOAP faults that refuse what a token may do: an app not allowed to impersonate the mailbox, or a permission missing.</summary>
    private static readonly string[] TokenFaults = { "ErrorImpersonateUserDenied", "ErrorAccessDenied", "ErrorInvalidExchangeImpersonationHeaderData", "ErrorImpersonationFailed" };

    /// <summary>An EWS error code in a SOAP fault (faultcode a:ErrorX, or ResponseCode ErrorX).</summary>
    private static readonly System.Text.RegularExpressions.Regex FaultCode = new System.Text.RegularExpressions.Regex(@">\s*(?:\w+:)?(Error[A-Za-z]{3,80})\s*<", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>How long a part of Exchange Online's x-ms-diagnostics header we repeat.</summary>
    private const int MaxDiagnostics = 300;

    /// <param name="impersonated">
    /// The mailbox an app's token acts as: Exchange Online opens a mailbox for an app only through
    /// ExchangeImpersonation, and routes the request by X-AnchorMailbox. Null for a person's login.
    /// </param>
    public static async Task<EwsProbeResult> SendAsync(HttpSession http, Uri ewsUrl, AuthenticationHeaderValue authorization, CheckResult result, CancellationToken cancellationToken, string? impersonated = null)
    {
        string impersonation = impersonated == null ? string.Empty
            : "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>" + System.Security.SecurityElement.Escape(impersonated) + "</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>";
        using var request = new HttpRequestMessage(HttpMethod.Post, ewsUrl)
        {
            Content = new StringContent(GetInboxStart + impersonation + GetInboxEnd, Encoding.UTF8, "text/xml"),
        };
        request.Headers.Authorization = authorization;
        if (impersonated != null)
        {
            request.Headers.TryAddWithoutValidation("X-AnchorMailbox", "SMTP:" + impersonated);
        }

        bool bearer = authorization.Scheme == "Bearer";
        using HttpExchange exchange = await http.SendAsync(request, result, cancellationToken).ConfigureAwait(false);
        if (exchange.Response == null)
        {
            return new EwsProbeResult(EwsAnswer.NoAnswer, exchange.Said, exchange);
        }

        HttpResponseMessage response = exchange.Response;
        string body = await exchange.ReadTextAsync().ConfigureAwait(false);
        var probe = new EwsProbeResult(EwsAnswer.NotEws, exchange.Said, exchange)
        {
            FrontEndServer = Header(response, "X-FEServer"),
            BackEndServer = Header(response, "X-TargetBEServer"),
        };

        string? casError = Header(response, "X-CasErrorCode");
        if ((int)response.StatusCode == LockedOrMfaStatus)
        {
            probe.Answer = EwsAnswer.LockedOrMfaRequired;
            probe.Said = new Phrase(Texts.Messages, "Ews_LockedOrMfa");
        }
        else if (body.IndexOf(LockedText, StringComparison.OrdinalIgnoreCase) >= 0)
        {
            probe.Answer = EwsAnswer.Locked;
            probe.Said = new Phrase(Texts.Messages, "Ews_LockedOut", (int)response.StatusCode);
        }
        else if (bearer && (response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden))
        {
            // The token, not a password, was refused: x-ms-diagnostics says why (2000001;reason="...";error_category="...").
            probe.Answer = EwsAnswer.TokenRefused;
            string? why = Header(response, "x-ms-diagnostics");
            probe.Said = Phrase.Fixed($"{(int)response.StatusCode} {response.ReasonPhrase}{(why == null ? string.Empty : " (" + ServerText.Printable(why, MaxDiagnostics) + ")")}");
        }
        else if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            probe.Answer = EwsAnswer.Unauthorized;
            probe.Said = new Phrase(Texts.Messages, "Ews_Refused");
        }
        else if ((int)response.StatusCode >= 500 || casError != null)
        {
            probe.Answer = EwsAnswer.ServerError;
            int status = (int)response.StatusCode;
            string? fault = SoapFaultCode(body);
            probe.Said = casError != null ? new Phrase(Texts.Messages, "Ews_CasError", status, casError)
                : fault != null ? Phrase.Fixed($"{status} {fault}")
                : Phrase.Fixed(status.ToString(CultureInfo.InvariantCulture));

            // Exchange Online answers an app whose access to the mailbox is refused with a 500 SOAP fault, not a 401.
            if (bearer && fault != null && Array.IndexOf(TokenFaults, fault) >= 0)
            {
                probe.Answer = EwsAnswer.TokenRefused;
            }
        }
        else if (response.StatusCode == HttpStatusCode.OK)
        {
            ReadSoap(body, probe);
        }

        return probe;
    }

    /// <summary>The Authorization header for Basic auth; the password exists only inside it.</summary>
    public static AuthenticationHeaderValue BasicAuthorization(NetworkCredential credential)
        => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password)));

    /// <summary>Settings for reading XML a server sent: no DTD, no external entities.</summary>
    public static XmlReaderSettings SafeXml() => new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        MaxCharactersInDocument = 4 * 1024 * 1024,
    };

    private static void ReadSoap(string body, EwsProbeResult probe)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(body), SafeXml());
            string? responseCode = null;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (reader.LocalName == "ServerVersionInfo")
                {
                    string[] parts = { reader.GetAttribute("MajorVersion") ?? "?", reader.GetAttribute("MinorVersion") ?? "?", reader.GetAttribute("MajorBuildNumber") ?? "?", reader.GetAttribute("MinorBuildNumber") ?? "?" };
                    probe.ServerVersion = string.Join(".", parts);
                }
                else if (reader.LocalName == "ResponseCode" && reader.NamespaceURI == MessagesNamespace)
                {
                    responseCode = reader.ReadElementContentAsString();
                }
            }

            if (responseCode == "NoError")
            {
                probe.Answer = EwsAnswer.Success;
                probe.Said = probe.ServerVersion == null
                    ? new Phrase(Texts.Messages, "Ews_Success", new Phrase(Texts.Messages, "Ews_NoVersion"))
                    : new Phrase(Texts.Messages, "Ews_Success", probe.ServerVersion);
            }
            else
            {
                probe.Answer = responseCode == null ? EwsAnswer.NotEws : EwsAnswer.ServerError;
                probe.Said = responseCode == null ? new Phrase(Texts.Messages, "Ews_NotSoap") : new Phrase(Texts.Messages, "Ews_ResponseCode", responseCode);
            }
        }
        catch (XmlException ex)
        {
            probe.Answer = EwsAnswer.NotEws;
            probe.Said = new Phrase(Texts.Messages, "Ews_NotXml", ex.Message);
        }
    }

    private static string? SoapFaultCode(string body)
    {
        System.Text.RegularExpressions.Match match = FaultCode.Match(body.Length > 64 * 1024 ? body.Substring(0, 64 * 1024) : body);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

internal sealed class EwsProbeResult
{
    public EwsProbeResult(EwsAnswer answer, Phrase said, HttpExchange exchange)
    {
        Answer = answer;
        Said = said;
        Failure = exchange.Failure;
        StatusCode = exchange.StatusCode;
        Certificate = exchange.Certificate;
    }

    public CertificateInfo? Certificate { get; }

    public EwsAnswer Answer { get; set; }

    /// <summary>What EWS answered, in English for the step's trace.</summary>
    public string Detail => Said.Trace;

    /// <summary>What EWS answered, for a message or Observed in the reader's language.</summary>
    public Phrase Said { get; set; }

    public HttpFailure Failure { get; }

    public int StatusCode { get; }

    public string? ServerVersion { get; set; }

    public string? FrontEndServer { get; set; }

    public string? BackEndServer { get; set; }
}
