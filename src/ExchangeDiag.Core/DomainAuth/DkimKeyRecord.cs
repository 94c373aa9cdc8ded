using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>A DKIM key record (RFC 6376 §3.6.1; ed25519 keys RFC 8463) as a verifier reads it.</summary>
internal sealed class DkimKeyRecord
{
    /// <summary>The longest record read: an 8192-bit RSA key is about 1,400 characters.</summary>
    public const int MaxLength = 8192;

    private DkimKeyRecord()
    {
    }

    /// <summary>Null when the record is valid; otherwise why no verifier can use it.</summary>
    public string? Error { get; private set; }

    /// <summary>"rsa" or "ed25519" (the k= tag, rsa by default).</summary>
    public string KeyType { get; private set; } = "rsa";

    /// <summary>The key length in bits (RSA modulus; 256 for ed25519); 0 when unknown or revoked.</summary>
    public int KeyBits { get; private set; }

    /// <summary>p= is empty: the key was revoked.</summary>
    public bool Revoked { get; private set; }

    /// <summary>t=y: the domain is testing DKIM; receivers treat its signed mail as unsigned.</summary>
    public bool Testing { get; private set; }

    /// <summary>t=s: the signing domain must be the From domain exactly, not a subdomain.</summary>
    public bool Strict { get; private set; }

    /// <summary>The h= hash algorithms, when the record restricts them.</summary>
    public IReadOnlyList<string> HashAlgorithms { get; private set; } = Array.Empty<string>();

    public bool IsValid => Error == null;

    public static DkimKeyRecord Parse(string text)
    {
        var record = new DkimKeyRecord();
        record.Error = record.Read(text);
        return record;
    }

    private string? Read(string text)
    {
        if (text.Length > MaxLength)
        {
            return Texts.Dkim.Format("Key_TooLong", text.Length, MaxLength);
        }

        List<KeyValuePair<string, string>>? tags = TagList.Parse(text, out string? error);
        if (tags == null)
        {
            return error;
        }

        for (int i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == "v" && (i != 0 || tags[i].Value != "DKIM1"))
            {
                return i != 0 ? Texts.Dkim["Key_VersionNotFirst"] : Texts.Dkim.Format("Key_BadVersion", TagList.Show(tags[i].Value));
            }
        }

        string? k = TagList.Get(tags, "k");
        if (k != null)
        {
            if (k != "rsa" && k != "ed25519")
            {
                return Texts.Dkim.Format("Key_BadType", TagList.Show(k));
            }

            KeyType = k;
        }

        string? h = TagList.Get(tags, "h");
        if (h != null)
        {
            HashAlgorithms = h.Split(':').Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
            if (!HashAlgorithms.Contains("sha256") && !HashAlgorithms.Contains("sha1"))
            {
                return Texts.Dkim.Format("Key_BadHash", TagList.Show(h));
            }
        }

        string? s = TagList.Get(tags, "s");
        if (s != null)
        {
            var services = s.Split(':').Select(a => a.Trim()).ToList();
            if (!services.Contains("*") && !services.Contains("email"))
            {
                return Texts.Dkim.Format("Key_BadService", TagList.Show(s));
            }
        }

        string? t = TagList.Get(tags, "t");
        if (t != null)
        {
            var flags = t.Split(':').Select(f => f.Trim()).ToList();
            Testing = flags.Contains("y");
            Strict = flags.Contains("s");
        }

        string? p = TagList.Get(tags, "p");
        if (p == null)
        {
            return Texts.Dkim["Key_NoKey"];
        }

        string base64 = new string(p.Where(c => c != ' ' && c != '\t' && c != '\r' && c != '\n').ToArray());
        if (base64.Length == 0)
        {
            Revoked = true;
            return null;
        }

        byte[]? key = DecodeBase64(base64);
        if (key == null)
        {
            return Texts.Dkim["Key_NotBase64"];
        }

        if (KeyType == "ed25519")
        {
            if (key.Length != 32)
            {
                return Texts.Dkim.Format("Key_BadEd25519", key.Length);
            }

            KeyBits = 256;
            return null;
        }

        KeyBits = RsaKeyReader.ModulusBits(key, out string? rsaError);
        return rsaError;
    }

    private static byte[]? DecodeBase64(string text)
    {
        if (text.Length % 4 != 0)
        {
            return null;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool padding = c == '=' && i >= text.Length - 2 && (i == text.Length - 1 || text[i + 1] == '=');
            if (!padding && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'))
            {
                return null;
            }
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
