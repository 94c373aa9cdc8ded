using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Checks;

/// <summary>Line-by-line SMTP and IMAP, for the checks that speak the protocol themselves.</summary>
internal static class LineProtocol
{
    public static Task WriteAsync(Stream stream, string line, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(line);
        return stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
    }

    /// <summary>The longest line we read: RFC 5321 allows 512 octets for a reply line; this is lenient.</summary>
    public const int MaxLineLength = 8 * 1024;

    /// <summary>The longest reply we read, all its lines together (an EHLO answer is a few hundred octets).</summary>
    public const int MaxReplyLength = 64 * 1024;

    /// <summary>
    /// Reads one reply byte by byte (nothing read past it may end up in a buffer, since TLS starts
    /// right after): an SMTP reply ends with a "NNN " line, an IMAP greeting with its first line,
    /// a tagged IMAP reply with the line that starts with the tag. A line or reply over the caps
    /// throws <see cref="AnswerTooLongException"/>: reading on would leave us out of step with the server.
    /// </summary>
    public static async Task<string> ReadReplyAsync(Stream stream, bool smtp, string? tag, CancellationToken cancellationToken)
    {
        var reply = new StringBuilder();
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            int read = await stream.ReadAsync(one, 0, 1, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            line.Append((char)one[0]);
            if (line.Length > MaxLineLength)
            {
                throw new AnswerTooLongException(new Phrase(Texts.Messages, "TooLong_Line", MaxLineLength / 1024));
            }

            if (reply.Length + line.Length > MaxReplyLength)
            {
                throw new AnswerTooLongException(new Phrase(Texts.Messages, "TooLong_Reply", MaxReplyLength / 1024));
            }

            if (one[0] != '\n')
            {
                continue;
            }

            string text = line.ToString();
            reply.Append(text);
            line.Clear();
            bool last = smtp
                ? text.Length < 4 || text[3] != '-'
                : tag == null || text.StartsWith(tag, StringComparison.Ordinal);
            if (last)
            {
                break;
            }
        }

        return reply.ToString();
    }

    /// <summary>The longest first line a sentence quotes from a server, in characters.</summary>
    public const int MaxQuotedLength = 300;

    /// <summary>
    /// The first line of a reply or message, trimmed and at most <see cref="MaxQuotedLength"/>
    /// characters: enough for a step or a sentence, however long the line the server sent.
    /// </summary>
    public static string FirstLine(string text)
    {
        int end = text.IndexOf('\n');
        string line = (end < 0 ? text : text.Substring(0, end)).Trim();
        if (line.Length <= MaxQuotedLength)
        {
            return line;
        }

        // Never half a surrogate pair: an emoji cut in two is a broken character in every report.
        int cut = char.IsHighSurrogate(line[MaxQuotedLength - 1]) ? MaxQuotedLength - 1 : MaxQuotedLength;
        return line.Substring(0, cut) + "…";
    }
}
