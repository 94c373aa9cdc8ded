using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;

namespace ExchangeDiag;

/// <summary>
/// Cuts the run's secrets out of every text a server sent back before it reaches a result, a
/// verbose line, an error or a report: a hostile or careless server that echoes the AUTH line,
/// the Authorization header or the OWA form must not put the password in a support ticket.
/// One instance serves a whole cmdlet invocation; secrets join it as the run learns them.
/// </summary>
/// <remarks>
/// The forms cut are those a protocol puts on the wire or a server may echo: the plain text, its
/// URL and HTML encodings, and base64, whole (AUTH PLAIN "\0user\0pass", Basic "user:pass") and
/// as the fragment that appears at each of the three byte alignments inside any longer base64
/// text, whatever comes before the secret. A base64 fragment shorter than
/// <see cref="ShortestBase64Fragment"/> characters is too likely to match by chance and is left.
/// </remarks>
public sealed class SecretRedactor
{
    public const string Mask = "********";

    private const int ShortestBase64Fragment = 6;

    private readonly object _gate = new object();
    private string[] _forms = Array.Empty<string>();
    private string[] _plain = Array.Empty<string>();

    // Clean(string) as a delegate, made once: every result of a bulk run is cleaned through it.
    private Func<string, string>? _cleanText;

    /// <summary>True while no secret is known: there is nothing to cut.</summary>
    public bool IsEmpty => Volatile.Read(ref _forms).Length == 0;

    /// <summary>Adds a mailbox's password, and its base64 forms together with the user name.</summary>
    public void Add(NetworkCredential? credential)
    {
        if (credential == null || string.IsNullOrEmpty(credential.Password))
        {
            return;
        }

        string user = credential.UserName ?? string.Empty;
        string password = credential.Password;
        AddPlain(password);
        AddForms(FormsOf(password)
            .Concat(Base64Whole($"\0{user}\0{password}"))
            .Concat(Base64Whole($"{user}\0{user}\0{password}"))
            .Concat(Base64Whole($"{user}:{password}")));
    }

    /// <summary>Adds secrets such as the OVHcloud application secret and consumer key.</summary>
    public void Add(params string?[] secrets)
    {
        string[] known = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray();
        AddPlain(known);
        AddForms(known.SelectMany(FormsOf));
    }

    /// <summary>Adds the secrets another redactor knows, such as an OVHcloud API client's.</summary>
    public void Add(SecretRedactor other)
    {
        AddPlain(Volatile.Read(ref other._plain));
        AddForms(Volatile.Read(ref other._forms));
    }

    /// <summary>
    /// Makes every text of a result (its message, steps and the server's replies) safe to show:
    /// the secrets cut, then control characters escaped and the length capped (<see cref="ServerText"/>).
    /// </summary>
    public void Clean(CheckResult result) => result.CleanTexts(_cleanText ??= Clean);

    /// <summary>A server's text as it may be shown: <see cref="Redact(string)"/>, then <see cref="ServerText.Printable"/>.</summary>
    public string Clean(string text) => ServerText.Printable(Redact(text));

    /// <summary>The text with every known form of every secret replaced by <see cref="Mask"/>.</summary>
    public string Redact(string text)
    {
        string[] forms = Volatile.Read(ref _forms);
        if (forms.Length == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (string form in forms)
        {
            if (text.IndexOf(form, StringComparison.Ordinal) >= 0)
            {
                text = text.Replace(form, Mask);
            }
        }

        return HiddenInEncoding(text) ?? text;
    }

    /// <summary>
    /// The last line of defence against an encoding no form foresaw (a URL half decoded, entities
    /// mixed with percent escapes): when the decoded text still holds a secret, the decoded text
    /// with the secret cut is returned instead of the original; null when nothing is hidden.
    /// </summary>
    private string? HiddenInEncoding(string text)
    {
        if (text.IndexOf('%') < 0 && text.IndexOf('&') < 0)
        {
            return null;
        }

        string decoded = WebUtility.HtmlDecode(UnescapeOrSame(text));
        string[] plain = Volatile.Read(ref _plain);
        if (!plain.Any(secret => decoded.IndexOf(secret, StringComparison.Ordinal) >= 0))
        {
            return null;
        }

        foreach (string secret in plain)
        {
            decoded = decoded.Replace(secret, Mask);
        }

        return decoded;
    }

    private static string UnescapeOrSame(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    public string? RedactOrNull(string? text) => text == null ? null : Redact(text);

    private void AddPlain(params string[] secrets)
    {
        lock (_gate)
        {
            _plain = _plain.Concat(secrets).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
        }
    }

    private void AddForms(IEnumerable<string> forms)
    {
        lock (_gate)
        {
            // Longest first, so a whole base64 blob is cut before the fragment inside it.
            _forms = _forms.Concat(forms.Where(f => f.Length > 0)).Distinct(StringComparer.Ordinal)
                .OrderByDescending(f => f.Length).ToArray();
        }
    }

    private static IEnumerable<string> FormsOf(string secret)
    {
        yield return secret;
        string escaped = Uri.EscapeDataString(secret);
        yield return escaped;
        yield return LowerHex(escaped);
        string form = WebUtility.UrlEncode(secret);
        yield return form;
        yield return LowerHex(form);
        yield return WebUtility.HtmlEncode(secret);
        string json = new StringBuilder().AppendJsonString(secret).ToString();
        yield return json.Substring(1, json.Length - 2);
        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        for (int alignment = 0; alignment < 3; alignment++)
        {
            string fragment = Base64Fragment(bytes, alignment);
            if (fragment.Length >= ShortestBase64Fragment)
            {
                yield return fragment;
                yield return fragment.Replace('+', '-').Replace('/', '_');
            }
        }
    }

    private static IEnumerable<string> Base64Whole(string text)
    {
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        yield return base64;
        yield return base64.TrimEnd('=');
    }

    /// <summary>
    /// The base64 characters that depend on the secret's bytes alone when the secret starts
    /// <paramref name="alignment"/> bytes into a 3-byte group: character i carries bits
    /// 6i to 6i+5, so those inside the secret's bits are the same in any text that holds it.
    /// </summary>
    private static string Base64Fragment(byte[] secret, int alignment)
    {
        var aligned = new byte[alignment + secret.Length];
        Array.Copy(secret, 0, aligned, alignment, secret.Length);
        string encoded = Convert.ToBase64String(aligned);
        int first = (alignment * 8 + 5) / 6;
        int end = aligned.Length * 8 / 6;
        return end > first ? encoded.Substring(first, end - first) : string.Empty;
    }

    /// <summary>"%2F" as some servers echo it: "%2f".</summary>
    private static string LowerHex(string encoded)
    {
        var text = new StringBuilder(encoded);
        for (int i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] == '%')
            {
                text[i + 1] = char.ToLowerInvariant(text[i + 1]);
                text[i + 2] = char.ToLowerInvariant(text[i + 2]);
            }
        }

        return text.ToString();
    }
}
