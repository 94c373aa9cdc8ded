using System;
using System.Text.RegularExpressions;

namespace ExchangeDiag.Mail;

/// <summary>One SMTP reply: status code, enhanced status code (RFC 3463) and text.</summary>
public sealed class SmtpReply
{
    private static readonly Regex Enhanced = new Regex(@"^\s*([245]\.\d{1,3}\.\d{1,3})\b", RegexOptions.CultureInvariant);

    public SmtpReply(int statusCode, string text)
    {
        StatusCode = statusCode;
        Match match = Enhanced.Match(text ?? string.Empty);
        EnhancedCode = match.Success ? match.Groups[1].Value : null;
        Text = (match.Success ? text!.Substring(match.Length) : text ?? string.Empty).Trim();
    }

    public int StatusCode { get; }

    /// <summary>Such as 5.7.1; null when the server sent none.</summary>
    public string? EnhancedCode { get; }

    public string Text { get; }

    /// <summary>Parses "550 5.7.1 text" or "535: 5.7.3 text" (MailKit's exception message form).</summary>
    public static SmtpReply? TryParse(string line)
    {
        Match match = Regex.Match(line ?? string.Empty, @"^\s*(\d{3})[ :\-]\s*(.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return match.Success ? new SmtpReply(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
    }

    internal SmtpReply Cleaned(Func<string, string> clean)
    {
        string text = clean(Text);
        return ReferenceEquals(text, Text) ? this : new SmtpReply(StatusCode, EnhancedCode == null ? text : $"{EnhancedCode} {text}");
    }

    public override string ToString() => EnhancedCode == null ? $"{StatusCode} {Text}" : $"{StatusCode} {EnhancedCode} {Text}";
}

/// <summary>The SMTP phase a reply answered.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum SmtpPhase
{
    Connect,
    Banner,
    Ehlo,
    StartTls,
    Auth,
    MailFrom,
    RcptTo,
    Data,
}
