using System;
using System.Globalization;

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
    public static string? TryNormalize(string? input, out string? error)
    {
        error = null;
        string text = (input ?? string.Empty).Trim();
        int at = text.LastIndexOf('@');
        if (at >= 0)
        {
            text = text.Substring(at + 1);
        }

        text = text.TrimEnd('.');
        if (text.Length == 0)
        {
            error = "it is empty";
            return null;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(text);
        }
        catch (ArgumentException)
        {
            error = "it contains characters that are not allowed in a domain name";
            return null;
        }

        ascii = ascii.ToLowerInvariant();
        if (ascii.Length > MaxLength)
        {
            error = $"it is longer than {MaxLength} characters";
            return null;
        }

        string[] labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            error = "it has no dot; give the full domain, such as contoso.com";
            return null;
        }

        foreach (string label in labels)
        {
            string? labelError = CheckLabel(label);
            if (labelError != null)
            {
                error = labelError;
                return null;
            }
        }

        return ascii;
    }

    /// <summary>True when both names denote the same host: case and a trailing dot are ignored.</summary>
    public static bool AreEqual(string? left, string? right)
        => string.Equals(Canonical(left), Canonical(right), StringComparison.OrdinalIgnoreCase);

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

    private static string? CheckLabel(string label)
    {
        if (label.Length == 0)
        {
            return "it has an empty label (two dots in a row)";
        }

        if (label.Length > MaxLabelLength)
        {
            return $"the label '{label}' is longer than {MaxLabelLength} characters";
        }

        foreach (char c in label)
        {
            bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!allowed)
            {
                return $"the character '{c}' is not allowed in a domain name";
            }
        }

        if (label[0] == '-' || label[label.Length - 1] == '-')
        {
            return $"the label '{label}' starts or ends with a hyphen";
        }

        return null;
    }
}
