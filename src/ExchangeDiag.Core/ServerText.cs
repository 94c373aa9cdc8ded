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
    /// The text with every control character except tab, LF and a CR before an LF as \xNN (\uNNNN
    /// for the bidirectional and line-breaking marks), then cut, never inside a surrogate pair, at <paramref name="maxLength"/> characters. The same
    /// string when nothing changes.
    /// </summary>
    public static string Printable(string text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text) || (text.Length <= maxLength && !HasUnprintable(text)))
        {
            return text;
        }

        var printable = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool bareReturn = c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n');
            string piece = bareReturn ? "\\x0D"
                : char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? text.Substring(i++, 2)
                : !IsUnprintable(c) ? c.ToString()
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
        for (int i = 0; i < text.Length; i++)
        {
            // A carriage return alone sends the console back to the start of the line, to write over it.
            if (IsUnprintable(text[i]) || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Control characters but tab and line ends, and the invisible marks that reorder or break a line.</summary>
    private static bool IsUnprintable(char c)
        => (char.IsControl(c) && c != '\t' && c != '\r' && c != '\n')
            || (c >= '\u202A' && c <= '\u202E')
            || (c >= '\u2066' && c <= '\u2069')
            || c == '\u200E' || c == '\u200F' || c == '\u061C' || c == '\u2028' || c == '\u2029';
}
