using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>The _mta-sts TXT record of a domain (RFC 8461 §3.1), parsed.</summary>
internal sealed class MtaStsRecord
{
    private const int MaxIdLength = 32;
    private const int MaxFields = 32;

    private MtaStsRecord(string? id, BoundedProblems errors)
    {
        Id = id;
        Errors = errors;
    }

    /// <summary>The policy id, when the record has a valid one.</summary>
    public string? Id { get; }

    /// <summary>What makes the record invalid, in English for the trace; empty when valid.</summary>
    public BoundedProblems Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// True for a TXT record senders consider: one that begins with v=STSv1 (§3.1: others are
    /// discarded, so a stray TXT at the same name is no second record).
    /// </summary>
    public static bool IsStsRecord(string text)
        => text.StartsWith("v=STSv1", StringComparison.Ordinal)
           && (text.Length == 7 || text[7] == ';' || text[7] == ' ' || text[7] == '\t');

    /// <summary>Parses a record <see cref="IsStsRecord"/> selected; garbage gives errors, never an exception.</summary>
    public static MtaStsRecord Parse(string text)
    {
        var errors = new BoundedProblems();
        string? id = null;
        string[] fields = text.Split(';');
        if (fields[0].Trim(' ', '\t') != "v=STSv1")
        {
            errors.Add(Texts.MtaSts["Record_NoVersion"]);
        }

        int count = 0;
        foreach (string raw in fields.Skip(1))
        {
            string field = raw.Trim(' ', '\t');
            if (field.Length == 0)
            {
                // A trailing ";" is allowed (§3.1); an empty field in the middle is harmless to every parser we know.
                continue;
            }

            if (++count > MaxFields)
            {
                errors.Add(Texts.MtaSts.Format("Record_TooManyFields", MaxFields));
                break;
            }

            int equals = field.IndexOf('=');
            if (equals <= 0)
            {
                errors.Add(Texts.MtaSts.Format("Record_NotField", Short(field)));
                continue;
            }

            string name = field.Substring(0, equals);
            string value = field.Substring(equals + 1);
            if (name == "id")
            {
                if (id != null)
                {
                    errors.Add(Texts.MtaSts["Record_IdTwice"]);
                }
                else if (value.Length < 1 || value.Length > MaxIdLength || !value.All(IsAlphaNumeric))
                {
                    errors.Add(Texts.MtaSts.Format("Record_BadId", Short(value), MaxIdLength));
                }
                else
                {
                    id = value;
                }
            }
            else if (!IsExtensionName(name) || value.Length == 0 || value.Any(c => c < 0x21 || c > 0x7E || c == '='))
            {
                errors.Add(Texts.MtaSts.Format("Record_BadExtension", Short(field)));
            }
        }

        if (id == null && !errors.Any(e => e.StartsWith("id=", StringComparison.Ordinal)))
        {
            errors.Add(Texts.MtaSts["Record_NoId"]);
        }

        return new MtaStsRecord(id, errors);
    }

    internal static bool IsAlphaNumeric(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    private static bool IsExtensionName(string name)
        => name.Length >= 1 && name.Length <= 32 && IsAlphaNumeric(name[0])
           && name.All(c => IsAlphaNumeric(c) || c == '_' || c == '-' || c == '.');

    internal static string Short(string text) => ServerText.Printable(text, 64);
}
