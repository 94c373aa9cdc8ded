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
    private AutodiscoverResponse(AutodiscoverAnswer answer, Phrase said)
    {
        Answer = answer;
        Said = said;
    }

    public AutodiscoverAnswer Answer { get; }

    /// <summary>What the answer says, in English for the step's trace.</summary>
    public string Detail => Said.Trace;

    /// <summary>What the answer says, for a message in the reader's language.</summary>
    public Phrase Said { get; }

    public string? RedirectAddr { get; private set; }

    public string? RedirectUrl { get; private set; }

    public int? ErrorCode { get; private set; }

    public string? EwsUrl { get; private set; }

    public string? OwaUrl { get; private set; }

    public string? Server { get; private set; }

    public string? DisplayName { get; private set; }

    /// <summary>What each Autodiscover error code means, for a person.</summary>
    public static Phrase Explain(int code) => code switch
    {
        500 => new Phrase(Texts.Messages, "AutodiscoverError_500"),
        501 => new Phrase(Texts.Messages, "AutodiscoverError_501"),
        600 => new Phrase(Texts.Messages, "AutodiscoverError_600"),
        601 => new Phrase(Texts.Messages, "AutodiscoverError_601"),
        602 => new Phrase(Texts.Messages, "AutodiscoverError_602"),
        603 => new Phrase(Texts.Messages, "AutodiscoverError_603"),
        _ => new Phrase(Texts.Messages, "AutodiscoverError_Other", code),
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
            return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, new Phrase(Texts.Messages, "Autodiscover_NotXml", ex.Message));
        }

        XElement? root = document.Root;
        if (root == null || root.Name.LocalName != "Autodiscover")
        {
            return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, new Phrase(Texts.Messages, "Autodiscover_NotAutodiscover", (object?)root?.Name.LocalName ?? new Phrase(Texts.Messages, "Autodiscover_NoRoot")));
        }

        XElement? error = Descendant(root, "Error");
        if (error != null)
        {
            string codeText = Descendant(error, "ErrorCode")?.Value.Trim() ?? string.Empty;
            int code = int.TryParse(codeText, out int parsed) ? parsed : 0;
            string message = Descendant(error, "Message")?.Value.Trim() ?? string.Empty;
            return new AutodiscoverResponse(AutodiscoverAnswer.Error, message.Length == 0 ? Explain(code) : new Phrase(Texts.Messages, "AutodiscoverError_WithMessage", Explain(code), message)) { ErrorCode = code };
        }

        XElement? account = Descendant(root, "Account");
        string action = Descendant(account, "Action")?.Value.Trim() ?? string.Empty;
        switch (action)
        {
            case "redirectAddr":
                string? address = Descendant(account, "RedirectAddr")?.Value.Trim();
                return new AutodiscoverResponse(AutodiscoverAnswer.RedirectAddr, new Phrase(Texts.Messages, "Autodiscover_RedirectAddrTo", address)) { RedirectAddr = address };
            case "redirectUrl":
                string? url = Descendant(account, "RedirectUrl")?.Value.Trim();
                return new AutodiscoverResponse(AutodiscoverAnswer.RedirectUrl, new Phrase(Texts.Messages, "Autodiscover_RedirectUrlTo", url)) { RedirectUrl = url };
            case "settings":
                var protocols = account!.Elements().Where(e => e.Name.LocalName == "Protocol").ToList();
                XElement? Protocol(string type) => protocols.FirstOrDefault(p => string.Equals(Descendant(p, "Type")?.Value.Trim(), type, StringComparison.OrdinalIgnoreCase));

                // Outlook takes EWS from EXPR (outside the network) first, then EXCH.
                string? ews = Descendant(Protocol("EXPR"), "EwsUrl")?.Value.Trim() ?? Descendant(Protocol("EXCH"), "EwsUrl")?.Value.Trim();
                var settings = new AutodiscoverResponse(AutodiscoverAnswer.Settings, new Phrase(Texts.Messages, "Autodiscover_SettingsAnswer"))
                {
                    EwsUrl = NullIfEmpty(ews),
                    OwaUrl = NullIfEmpty(Descendant(Protocol("WEB"), "OWAUrl")?.Value.Trim()),
                    Server = NullIfEmpty(Descendant(Protocol("EXCH"), "Server")?.Value.Trim() ?? Descendant(Protocol("EXPR"), "Server")?.Value.Trim()),
                    DisplayName = NullIfEmpty(Descendant(root, "DisplayName")?.Value.Trim()),
                };
                return settings;
            default:
                return new AutodiscoverResponse(AutodiscoverAnswer.Invalid, new Phrase(Texts.Messages, "Autodiscover_UnknownAction", action));
        }
    }

    private static XElement? Descendant(XElement? parent, string localName)
        => parent?.Descendants().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
