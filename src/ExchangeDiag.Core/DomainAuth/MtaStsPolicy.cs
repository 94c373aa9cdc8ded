using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ExchangeDiag.DomainAuth;

/// <summary>An MTA-STS policy file (RFC 8461 §3.2), parsed: never an exception, garbage is listed in Errors.</summary>
internal sealed class MtaStsPolicy
{
    /// <summary>The largest max_age the RFC allows: one year.</summary>
    public const long MaxMaxAge = 31557600;

    private const int MaxLines = 1000;
    private const int MaxPatterns = 100;

    private MtaStsPolicy(MtaStsMode mode, long? maxAge, IReadOnlyList<string> mx, BoundedProblems errors, BoundedProblems warnings)
    {
        Mode = mode;
        MaxAge = maxAge;
        Mx = mx;
        Errors = errors;
        Warnings = warnings;
    }

    public MtaStsMode Mode { get; }

    /// <summary>Seconds a sender may cache the policy.</summary>
    public long? MaxAge { get; }

    /// <summary>The valid mx patterns, as written, in their order.</summary>
    public IReadOnlyList<string> Mx { get; }

    /// <summary>What makes senders discard the policy (English, for the trace); empty when it is valid.</summary>
    public BoundedProblems Errors { get; }

    /// <summary>What is wrong but leaves the policy usable.</summary>
    public BoundedProblems Warnings { get; }

    public bool IsValid => Errors.Count == 0;

    public static MtaStsPolicy Parse(string text)
    {
        var errors = new BoundedProblems();
        var warnings = new BoundedProblems();
        var mx = new List<string>();
        string? version = null;
        string? mode = null;
        string? maxAge = null;

        string[] lines = text.Split('\n');
        if (lines.Length > MaxLines)
        {
            warnings.Add(Texts.MtaSts.Format("Policy_TooManyLines", MaxLines, lines.Length));
        }

        for (int i = 0; i < lines.Length && i < MaxLines; i++)
        {
            string line = lines[i].EndsWith("\r", StringComparison.Ordinal) ? lines[i].Substring(0, lines[i].Length - 1) : lines[i];
            if (line.Trim(' ', '\t').Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                errors.Add(Texts.MtaSts.Format("Policy_NotKeyValue", i + 1, MtaStsRecord.Short(line)));
                continue;
            }

            string key = line.Substring(0, colon);
            string value = line.Substring(colon + 1).Trim(' ', '\t');
            switch (key)
            {
                case "version":
                    Single(ref version, key, value, warnings);
                    break;
                case "mode":
                    Single(ref mode, key, value, warnings);
                    break;
                case "max_age":
                    Single(ref maxAge, key, value, warnings);
                    break;
                case "mx":
                    if (!IsPattern(value))
                    {
                        warnings.Add(Texts.MtaSts.Format("Policy_BadMx", MtaStsRecord.Short(value)));
                    }
                    else if (mx.Count < MaxPatterns)
                    {
                        mx.Add(value);
                    }

                    break;
                default:
                    // Unknown keys are extensions: senders ignore them (§3.2). A key that is not even a
                    // name shows a file that is no policy, which the missing fields will tell.
                    break;
            }
        }

        if (version == null)
        {
            errors.Add(Texts.MtaSts["Policy_NoVersion"]);
        }
        else if (version != "STSv1")
        {
            errors.Add(Texts.MtaSts.Format("Policy_BadVersion", MtaStsRecord.Short(version)));
        }

        MtaStsMode parsedMode = mode switch
        {
            "enforce" => MtaStsMode.Enforce,
            "testing" => MtaStsMode.Testing,
            "none" => MtaStsMode.None,
            _ => MtaStsMode.Unknown,
        };
        if (mode == null)
        {
            errors.Add(Texts.MtaSts["Policy_NoMode"]);
        }
        else if (parsedMode == MtaStsMode.Unknown)
        {
            errors.Add(Texts.MtaSts.Format("Policy_BadMode", MtaStsRecord.Short(mode)));
        }

        long? age = null;
        if (maxAge == null)
        {
            errors.Add(Texts.MtaSts["Policy_NoMaxAge"]);
        }
        else if (maxAge.Length == 0 || maxAge.Length > 10 || !maxAge.All(c => c >= '0' && c <= '9'))
        {
            errors.Add(Texts.MtaSts.Format("Policy_BadMaxAge", MtaStsRecord.Short(maxAge)));
        }
        else
        {
            age = long.Parse(maxAge, NumberStyles.None, CultureInfo.InvariantCulture);
            if (age > MaxMaxAge)
            {
                warnings.Add(Texts.MtaSts.Format("Policy_MaxAgeTooLong", age, MaxMaxAge));
            }
        }

        if (mx.Count == 0 && (parsedMode == MtaStsMode.Enforce || parsedMode == MtaStsMode.Testing))
        {
            errors.Add(Texts.MtaSts["Policy_NoMx"]);
        }

        return new MtaStsPolicy(parsedMode, age, mx, errors, warnings);
    }

    /// <summary>
    /// True when <paramref name="host"/> matches <paramref name="pattern"/> (§4.1): equal names, or
    /// "*.domain" standing for exactly one leftmost label; case and a trailing dot do not count.
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        pattern = pattern.TrimEnd('.');
        host = host.TrimEnd('.');
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            int dot = host.IndexOf('.');
            return dot > 0 && string.Equals(host.Substring(dot + 1), pattern.Substring(2), StringComparison.OrdinalIgnoreCase);
        }

        return host.Length > 0 && string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>["*."] Domain (§3.2, RFC 5321 Domain): letter-digit-hyphen labels, an optional trailing dot.</summary>
    internal static bool IsPattern(string value)
    {
        string name = value.StartsWith("*.", StringComparison.Ordinal) ? value.Substring(2) : value;
        name = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (name.Length == 0 || name.Length > 253)
        {
            return false;
        }

        return name.Split('.').All(label => label.Length >= 1 && label.Length <= 63
            && MtaStsRecord.IsAlphaNumeric(label[0]) && MtaStsRecord.IsAlphaNumeric(label[label.Length - 1])
            && label.All(c => MtaStsRecord.IsAlphaNumeric(c) || c == '-'));
    }

    private static void Single(ref string? slot, string key, string value, BoundedProblems warnings)
    {
        if (slot == null)
        {
            slot = value;
        }
        else
        {
            warnings.Add(Texts.MtaSts.Format("Policy_Repeated", key, MtaStsRecord.Short(slot)));
        }
    }
}
