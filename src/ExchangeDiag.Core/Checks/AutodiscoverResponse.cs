using System;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace ExchangeDiag.Checks;

/// <summary>What an Autodiscover POX answer says (PROTOCOL-NOTES 4).</summary>
internal enum AutodiscoverAnswer
{
    Settings,
    RedirectAddr,
    RedirectUrl,
    Error,

    /// <summary>Not an Autodiscover document (a web page, a refused DTD, broken XML).</summary>
    Invalid,
}

/// <summary>An Autodiscover POX response, read without DTDs or external entities.</summary>
internal sealed class AutodiscoverResponse
{
    private AutodiscoverResponse(AutodiscoverAnswer answer, string detail)
    {
        Answer = answer;
        Detail = detail;
    }

    public AutodiscoverAnswer Answer { get; }

    public string Detail { get; }

    public string? RedirectAddr { get; private set; }

    public string? RedirectUrl { get; private set; }

    public int? ErrorCode { get; private set; }

    public string? EwsUrl { get; private set; }

    public string? OwaUrl { get; private set; }

    public string? Server { get; private set; }

    public string? DisplayName { get; private set; }

    /// <summary>What each Autodiscover error code means, for a person.</summary>
    public static string Explain(int code) => code switch
    {
        500 => "the e-mail address is not known to this server (500)",
        501 => "the server knows the address but has no settings for it (501)",
        600 => "the server found the request invalid (600)",
        601 => "the server does not offer the requested response schema (601)",
        602 => "the server's Autodiscover configuration is broken (602)",
        603 => "the server hit an internal error (603)",
        _ => $"the server answered error {code}",
    };

    public static AutodiscoverResponse Parse(string xml)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), EwsProbe.SafeXml());
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, $"not Autodiscover XML ({ex.Message})");
        }

        XElement? root = document.Root;
        if (root == null || root.Name.LocalName != "Autodiscover")
        {
            return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, $"XML, but not an Autodiscover answer (root {root?.Name.LocalName ?? "none"})");
        }

        XElement? error = Descendant(root, "Error");
        if (error != null)
        {
            string codeText = Descendant(error, "ErrorCode")?.Value.Trim() ?? string.Empty;
            int code = int.TryParse(codeText, out int parsed) ? parsed : 0;
            string message = Descendant(error, "Message")?.Value.Trim() ?? string.Empty;
            return new AutodiscoverResponse(AutodiscoverAnswer.Error, $"{Explain(code)}{(message.Length == 0 ? string.Empty : ": " + message)}") { ErrorCode = code };
        }

        XElement? account = Descendant(root, "Account");
        string action = Descendant(account, "Action")?.Value.Trim() ?? string.Empty;
        switch (action)
        {
            case "redirectAddr":
                string? address = Descendant(account, "RedirectAddr")?.Value.Trim();
                return new AutodiscoverResponse(AutodiscoverAnswer.RedirectAddr, $"redirectAddr to {address}") { RedirectAddr = address };
            case "redirectUrl":
                string? url = Descendant(account, "RedirectUrl")?.Value.Trim();
                return new AutodiscoverResponse(AutodiscoverAnswer.RedirectUrl, $"redirectUrl to {url}") { RedirectUrl = url };
            case "settings":
                var protocols = account!.Elements().Where(e => e.Name.LocalName == "Protocol").ToList();
                XElement? Protocol(string type) => protocols.FirstOrDefault(p => string.Equals(Descendant(p, "Type")?.Value.Trim(), type, StringComparison.OrdinalIgnoreCase));

                // Outlook takes EWS from EXPR (outside the network) first, then EXCH.
                string? ews = Descendant(Protocol("EXPR"), "EwsUrl")?.Value.Trim() ?? Descendant(Protocol("EXCH"), "EwsUrl")?.Value.Trim();
                var settings = new AutodiscoverResponse(AutodiscoverAnswer.Settings, "settings")
                {
                    EwsUrl = NullIfEmpty(ews),
                    OwaUrl = NullIfEmpty(Descendant(Protocol("WEB"), "OWAUrl")?.Value.Trim()),
                    Server = NullIfEmpty(Descendant(Protocol("EXCH"), "Server")?.Value.Trim() ?? Descendant(Protocol("EXPR"), "Server")?.Value.Trim()),
                    DisplayName = NullIfEmpty(Descendant(root, "DisplayName")?.Value.Trim()),
                };
                return settings;
            default:
                return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, $"an Autodiscover answer with no known Action ('{action}')");
        }
    }

    private static XElement? Descendant(XElement? parent, string localName)
        => parent?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
