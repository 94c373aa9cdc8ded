using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>
/// The tag=value lists DKIM key records (RFC 6376 §3.2) and DMARC records (RFC 7489 §6.4) are
/// written in: tags separated by ";", white space around names and values ignored.
/// </summary>
internal static class TagList
{
    /// <summary>The most tags read from one record: a real record has fewer than a dozen.</summary>
    public const int MaxTags = 32;

    /// <summary>
    /// The tags in order, names as written; null and the reason when the text is no tag list:
    /// a segment without "=", a name that is not ALPHA *(ALPHA / DIGIT / "_"), a value with a
    /// control or non-ASCII character, the same name twice (§3.2: the whole list is then invalid),
    /// or more than <see cref="MaxTags"/> tags. Empty segments (";;", a trailing ";") are skipped.
    /// </summary>
    public static List<KeyValuePair<string, string>>? Parse(string text, out string? error)
    {
        var tags = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string segment in text.Split(';'))
        {
            string spec = segment.Trim(' ', '\t', '\r', '\n');
            if (spec.Length == 0)
            {
                continue;
            }

            if (tags.Count == MaxTags)
            {
                error = Texts.Messages.Format("Tags_TooMany", MaxTags);
                return null;
            }

            int equals = spec.IndexOf('=');
            if (equals < 0)
            {
                error = Texts.Messages.Format("Tags_NotTagValue", Show(spec));
                return null;
            }

            string name = spec.Substring(0, equals).TrimEnd(' ', '\t', '\r', '\n');
            string value = spec.Substring(equals + 1).TrimStart(' ', '\t', '\r', '\n');
            if (!IsTagName(name))
            {
                error = Texts.Messages.Format("Tags_NotName", Show(name));
                return null;
            }

            foreach (char c in value)
            {
                if (c > '~' || (c < ' ' && c != '\t' && c != '\r' && c != '\n'))
                {
                    error = Texts.Messages.Format("Tags_NotAscii", name);
                    return null;
                }
            }

            if (!seen.Add(name))
            {
                error = Texts.Messages.Format("Tags_Twice", name);
                return null;
            }

            tags.Add(new KeyValuePair<string, string>(name, value));
        }

        error = null;
        return tags;
    }

    /// <summary>
    /// The tags a receiver can still read, as DMARC receivers read a record (RFC 7489 §6.6.3 discards it
    /// only for its policy): a segment that is not tag=value, a bad name or a value with a control or
    /// non-ASCII character is left out, and why is added to <paramref name="errors"/>; a name seen twice
    /// is kept twice, for the caller to judge. At most <see cref="MaxTags"/> tags are read.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseAll(string text, List<string> errors)
    {
        var tags = new List<KeyValuePair<string, string>>();
        foreach (string segment in text.Split(';'))
        {
            string spec = segment.Trim(' ', '\t', '\r', '\n');
            if (spec.Length == 0)
            {
                continue;
            }

            if (tags.Count == MaxTags)
            {
                errors.Add(Texts.Messages.Format("Tags_TooManyRest", MaxTags));
                break;
            }

            int equals = spec.IndexOf('=');
            if (equals < 0)
            {
                errors.Add(Texts.Messages.Format("Tags_NotTagValue", Show(spec)));
                continue;
            }

            string name = spec.Substring(0, equals).TrimEnd(' ', '\t', '\r', '\n');
            string value = spec.Substring(equals + 1).TrimStart(' ', '\t', '\r', '\n');
            if (!IsTagName(name))
            {
                errors.Add(Texts.Messages.Format("Tags_NotName", Show(name)));
                continue;
            }

            if (value.Any(c => c > '~' || (c < ' ' && c != '\t' && c != '\r' && c != '\n')))
            {
                errors.Add(Texts.Messages.Format("Tags_NotAscii", name));
                continue;
            }

            tags.Add(new KeyValuePair<string, string>(name, value));
        }

        return tags;
    }

    /// <summary>The value of the tag <paramref name="name"/>, or null when absent.</summary>
    public static string? Get(IReadOnlyList<KeyValuePair<string, string>> tags, string name)
    {
        foreach (KeyValuePair<string, string> tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value;
            }
        }

        return null;
    }

    /// <summary>A piece of a record for a reason text: printable and short.</summary>
    public static string Show(string text) => ServerText.Printable(text, 40);

    private static bool IsTagName(string name)
    {
        if (name.Length == 0 || !IsAlpha(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!IsAlpha(c) && !(c >= '0' && c <= '9') && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
