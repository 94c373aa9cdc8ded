using System;
using System.Globalization;
using System.Text;

namespace ExchangeDiag;

/// <summary>
/// Makes text that came from a server safe to show in a console, a log or a report: control
/// characters are written out as escapes and the text is cut at <see cref="MaxLength"/>.
/// A NUL or a terminal escape (ESC [) copied from a hostile greeting would otherwise colour or
/// rewrite the user's console, and a bidirectional override would make a report lie about its own words.
/// </summary>
public static class ServerText
{
    /// <summary>The longest text a result keeps, in characters; longer server texts end with an ellipsis.</summary>
    public const int MaxLength = 4096;

    /// <summary>
    /// The text with every control character except tab, CR and LF as \xNN (\uNNNN for the
    /// bidirectional controls), then cut at <paramref name="maxLength"/> characters. The same
    /// string when nothing changes.
    /// </summary>
    public static string Printable(string text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text) || (text.Length <= maxLength && !HasUnprintable(text)))
        {
            return text;
        }

        var printable = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        foreach (char c in text)
        {
            string piece = !IsUnprintable(c) ? c.ToString()
                : c <= '\u00FF' ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
                : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            if (printable.Length + piece.Length > maxLength)
            {
                return printable.Append('…').ToString();
            }

            printable.Append(piece);
        }

        return printable.ToString();
    }

    private static bool HasUnprintable(string text)
    {
        foreach (char c in text)
        {
            if (IsUnprintable(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnprintable(char c)
        => (char.IsControl(c) && c != '\t' && c != '\r' && c != '\n')
            || (c >= '\u202A' && c <= '\u202E')
            || (c >= '\u2066' && c <= '\u2069');
}
