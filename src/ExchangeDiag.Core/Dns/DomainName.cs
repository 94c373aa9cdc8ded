using System;
using System.Globalization;
using System.Linq;

namespace ExchangeDiag.Dns;

/// <summary>Validation, normalisation and comparison of DNS names as users type them.</summary>
public static class DomainName
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;
    private static readonly IdnMapping Idn = new IdnMapping();

    /// <summary>
    /// Turns user input (a domain or an e-mail address) into the lower-case ASCII domain to query.
    /// Returns null and the reason when the input is not a domain name.
    /// </summary>
    public static string? TryNormalize(string? input, out string? error) => TryNormalize(input, requireDot: true, out error);

    /// <summary>
    /// Turns a server name into the lower-case ASCII host to connect to. Unlike a domain, a single
    /// label ("exch01") is a name: the operating system's resolver completes it with its search domains.
    /// </summary>
    public static string? TryNormalizeServer(string? input, out string? error) => TryNormalize(input, requireDot: false, out error);

    private static string? TryNormalize(string? input, bool requireDot, out string? error)
    {
        string text = (input ?? string.Empty).Trim();
        int at = text.LastIndexOf('@');
        if (at >= 0)
        {
            text = text.Substring(at + 1);
        }

        // One trailing dot marks a fully qualified name; more than one is a typo.
        if (text.EndsWith(".", StringComparison.Ordinal))
        {
            text = text.Substring(0, text.Length - 1);
        }

        error = FirstProblem(text, requireDot, out string ascii);
        return error == null ? ascii : null;
    }

    /// <summary>
    /// True when a name a DNS answer gives as a target (MX, SRV, CNAME) can be a host: labels of
    /// letters, digits, hyphens and underscores, 1 to 63 characters each, 253 in all; the root "."
    /// too. Anything else (a slash, a space, an escaped byte) could steer a URL that carries the password.
    /// </summary>
    public static bool IsHostTarget(string? name)
    {
        string text = name ?? string.Empty;
        if (text == ".")
        {
            return true;
        }

        // One scan, no allocation: every MX and SRV answer of a bulk run passes here.
        int length = text.EndsWith(".", StringComparison.Ordinal) ? text.Length - 1 : text.Length;
        if (length == 0 || length > MaxLength)
        {
            return false;
        }

        int labelStart = 0;
        for (int i = 0; i <= length; i++)
        {
            if (i < length && text[i] != '.')
            {
                char c = text[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                {
                    return false;
                }

                continue;
            }

            int labelLength = i - labelStart;
            if (labelLength == 0 || labelLength > MaxLabelLength || !IsValidPunycode(text, labelStart, labelLength))
            {
                return false;
            }

            labelStart = i + 1;
        }

        return true;
    }

    /// <summary>
    /// False for an "xn--" label whose punycode does not decode ("xn--zz"): the resolver library
    /// refuses such a name with an exception, so it is caught here, as a finding about the name.
    /// </summary>
    private static bool IsValidPunycode(string text, int start, int length)
    {
        if (length < 4 || string.Compare(text, start, "xn--", 0, 4, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return true;
        }

        try
        {
            Idn.GetUnicode(text, start, length);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>True when both names denote the same host: case and a trailing dot are ignored.</summary>
    public static bool AreEqual(string? left, string? right)
        // The same text needs no canonical forms: every MX host of every domain of a bulk run is compared here.
        => (left != null && string.Equals(left, right, StringComparison.OrdinalIgnoreCase))
            || string.Equals(Canonical(left), Canonical(right), StringComparison.OrdinalIgnoreCase);

    /// <summary>The form used for display and comparison: trailing dot removed, lower case; the root stays ".".</summary>
    public static string Canonical(string? name)
    {
        string text = (name ?? string.Empty).Trim();
        if (text == ".")
        {
            return text;
        }

        return text.TrimEnd('.').ToLowerInvariant();
    }

    // Checks in the order a person fixes things: stray characters first, the shape of the name last.
    private static string? FirstProblem(string text, bool requireDot, out string ascii)
    {
        ascii = string.Empty;
        if (text.Length == 0)
        {
            return Texts.Commands["Domain_Empty"];
        }

        foreach (char c in text)
        {
            bool allowed = c > 127 || char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
            if (!allowed)
            {
                return c == ' ' ? Texts.Commands["Domain_Space"] : Texts.Commands.Format("Domain_Character", c);
            }
        }

        string[] labels = text.Split('.');
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i].Length == 0)
            {
                return Texts.Commands["Domain_EmptyLabel"];
            }

            string? labelError = ToAsciiLabel(labels[i], out labels[i]);
            if (labelError != null)
            {
                return labelError;
            }
        }

        ascii = string.Join(".", labels);
        if (ascii.Length > MaxLength)
        {
            return Texts.Commands.Format("Domain_TooLong", MaxLength);
        }

        if (labels.Length < 2 && requireDot)
        {
            return Texts.Commands["Domain_NoDot"];
        }

        if (labels[labels.Length - 1].All(char.IsDigit))
        {
            return Texts.Commands["Domain_IpAddress"];
        }

        return null;
    }

    private static string? ToAsciiLabel(string label, out string ascii)
    {
        ascii = label.ToLowerInvariant();
        if (label.Any(c => c > 127))
        {
            try
            {
                ascii = Idn.GetAscii(label).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                return Texts.Commands.Format("Domain_BadIdn", label);
            }
        }

        if (!IsValidPunycode(ascii, 0, ascii.Length))
        {
            return Texts.Commands.Format("Domain_BadPunycode", label);
        }

        if (ascii.Length > MaxLabelLength)
        {
            return Texts.Commands.Format("Domain_LabelTooLong", label, MaxLabelLength);
        }

        if (ascii[0] == '-' || ascii[ascii.Length - 1] == '-')
        {
            return Texts.Commands.Format("Domain_Hyphen", label);
        }

        return null;
    }
}
