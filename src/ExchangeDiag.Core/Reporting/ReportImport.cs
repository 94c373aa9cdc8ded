using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ExchangeDiag.Reporting;

/// <summary>
/// Rebuilds reports from what is left of them after a trip through serialization (Import-Clixml,
/// Start-Job, remoting, ConvertFrom-Json of the JSON export): trees of property names and plain
/// values (strings, booleans, numbers, times, lists, nested trees). Also makes a report of a single
/// check's result, so one Test-* result can be exported on its own.
/// </summary>
public static class ReportImport
{
    /// <summary>What an input to the export is, told by its properties.</summary>
    public enum Shape
    {
        Unknown,

        /// <summary>The JSON export as a whole: SchemaVersion and Reports.</summary>
        Document,

        /// <summary>One mailbox's report: EmailAddress and Results.</summary>
        Report,

        /// <summary>One check's result: Check, Target and Status.</summary>
        Result,
    }

    public static Shape ShapeOf(IReadOnlyDictionary<string, object?> properties)
    {
        if (properties.ContainsKey("Reports") && properties.ContainsKey("SchemaVersion"))
        {
            return Shape.Document;
        }

        if (properties.ContainsKey("EmailAddress") && properties.ContainsKey("Results"))
        {
            return Shape.Report;
        }

        return properties.ContainsKey("Check") && properties.ContainsKey("Target") && properties.ContainsKey("Status") ? Shape.Result : Shape.Unknown;
    }

    /// <summary>The reports of a whole JSON export.</summary>
    public static IEnumerable<DiagnosticReport> FromDocument(IReadOnlyDictionary<string, object?> document)
        => Items(document, "Reports").OfType<IReadOnlyDictionary<string, object?>>().Select(FromReport);

    /// <summary>A report from its properties. Its results keep every field they had, and the JSON export writes them again.</summary>
    public static DiagnosticReport FromReport(IReadOnlyDictionary<string, object?> properties)
    {
        var report = new DiagnosticReport(Text(properties, "EmailAddress") ?? string.Empty, Text(properties, "Domain") ?? string.Empty)
        {
            Provider = Text(properties, "Provider") is string provider && Enum.TryParse(provider, true, out MailProvider known) ? known : (MailProvider?)null,
            ExchangeServer = Text(properties, "ExchangeServer"),
            Status = EnumOf<CheckStatus>(properties, "Status"),
            Verdict = Text(properties, "Verdict") ?? string.Empty,
            Causes = new SummaryList<RootCause>(Items(properties, "Causes").OfType<IReadOnlyDictionary<string, object?>>().Select(Cause)),
            Results = new SummaryList<CheckResult>(Items(properties, "Results").OfType<IReadOnlyDictionary<string, object?>>().Select(Result)),
            StartTime = Time(properties, "StartTime") ?? default,
            Duration = Duration(properties, "Duration"),
            ModuleVersion = Text(properties, "ModuleVersion") ?? string.Empty,
            Culture = Text(properties, "Culture") ?? string.Empty,
        };
        if (Value(properties, "ProviderDiagnosis") is IReadOnlyDictionary<string, object?> providerDiagnosis)
        {
            report.ProviderDiagnosis = ProviderDiagnosis(providerDiagnosis);
        }

        return report;
    }

    /// <summary>A report of one result, deserialized: the result is its only check.</summary>
    public static DiagnosticReport FromResult(IReadOnlyDictionary<string, object?> properties, string moduleVersion)
        => FromResult(Result(properties), moduleVersion);

    /// <summary>A report of one check's result, whose subject is the result's target and whose verdict is its message.</summary>
    public static DiagnosticReport FromResult(CheckResult result, string moduleVersion)
    {
        string target = result.Target;
        int at = target.LastIndexOf('@');
        return new DiagnosticReport(target, at >= 0 ? target.Substring(at + 1) : target)
        {
            Status = result.Status,
            Verdict = result.Message,
            Results = new SummaryList<CheckResult>(new[] { result }),
            StartTime = DateTimeOffset.Now - result.Duration,
            Duration = result.Duration,
            ModuleVersion = moduleVersion,
            Culture = CultureInfo.CurrentUICulture.Name,
        };
    }

    /// <summary>
    /// An Autodiscover result from its serialized properties, so that a deserialized discovery still
    /// pipes into the logins with its discovered URLs (and its refused credential); null for any other input.
    /// </summary>
    public static AutodiscoverResult? Autodiscover(IReadOnlyDictionary<string, object?> properties)
    {
        if (ShapeOf(properties) != Shape.Result || Text(properties, "Check") != "Autodiscover")
        {
            return null;
        }

        var result = new AutodiscoverResult(Text(properties, "EmailAddress") ?? Text(properties, "Target") ?? string.Empty)
        {
            Method = EnumOf<AutodiscoverMethod>(properties, "Method"),
            Url = Text(properties, "Url"),
            EwsUrl = Text(properties, "EwsUrl"),
            OwaUrl = Text(properties, "OwaUrl"),
            Server = Text(properties, "Server"),
            Redirects = int.TryParse(Text(properties, "Redirects"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int redirects) ? redirects : 0,
            JsonEwsUrl = Text(properties, "JsonEwsUrl"),
        };
        Fill(result, properties);
        return result;
    }

    private static CheckResult Result(IReadOnlyDictionary<string, object?> properties)
    {
        var result = new ImportedResult(Text(properties, "Type"), Text(properties, "Check") ?? string.Empty, Text(properties, "Target") ?? string.Empty, properties);
        Fill(result, properties);
        return result;
    }

    private static ProviderDiagnosisResult ProviderDiagnosis(IReadOnlyDictionary<string, object?> properties)
    {
        var result = new ProviderDiagnosisResult(Text(properties, "Target") ?? string.Empty)
        {
            IsSpammer = Flag(properties, "IsSpammer"),
            IsSuspended = Flag(properties, "IsSuspended"),
            IsLocked = Flag(properties, "IsLocked"),
            ConnectiveOwa = Flag(properties, "ConnectiveOwa"),
            IsMxValid = Flag(properties, "IsMxValid"),
            IsSrvValid = Flag(properties, "IsSrvValid"),
            CanSendEmail = Flag(properties, "CanSendEmail"),
            CanReceiveEmail = Flag(properties, "CanReceiveEmail"),
            LastCheck = Time(properties, "LastCheck"),
            Disagreements = new SummaryList<string>(Texts(properties, "Disagreements")),
        };
        Fill(result, properties);
        return result;
    }

    private static void Fill(CheckResult result, IReadOnlyDictionary<string, object?> properties)
    {
        result.Status = EnumOf<CheckStatus>(properties, "Status");
        result.Cause = EnumOf<DiagnosticCause>(properties, "Cause");
        result.Message = Text(properties, "Message") ?? string.Empty;
        result.Remediation = Text(properties, "Remediation");
        result.Expected = Text(properties, "Expected");
        result.Observed = Text(properties, "Observed");
        result.Duration = Duration(properties, "Duration");
        result.CredentialRefused = Flag(properties, "CredentialRefused") ?? false;
        result.ExplainedBy = EnumOf<DiagnosticCause>(properties, "ExplainedBy");
        foreach (IReadOnlyDictionary<string, object?> step in Items(properties, "Steps").OfType<IReadOnlyDictionary<string, object?>>())
        {
            result.AddStep(Text(step, "Name") ?? string.Empty, EnumOf<CheckStatus>(step, "Status"), Text(step, "Detail") ?? string.Empty, Duration(step, "Duration"));
        }
    }

    private static RootCause Cause(IReadOnlyDictionary<string, object?> properties)
        => new RootCause(EnumOf<DiagnosticCause>(properties, "Cause"), Text(properties, "Message") ?? string.Empty, Text(properties, "Remediation") ?? string.Empty)
        {
            Evidence = new SummaryList<string>(Texts(properties, "Evidence")),
            Explains = new SummaryList<string>(Texts(properties, "Explains")),
        };

    private static object? Value(IReadOnlyDictionary<string, object?> properties, string name)
        => properties.TryGetValue(name, out object? value) ? value : null;

    private static string? Text(IReadOnlyDictionary<string, object?> properties, string name)
        => Value(properties, name) is object value ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static IEnumerable<object?> Items(IReadOnlyDictionary<string, object?> properties, string name) => Value(properties, name) switch
    {
        null => Enumerable.Empty<object?>(),
        string single => new object?[] { single },
        IEnumerable items => items.Cast<object?>(),
        object single => new[] { single },
    };

    private static IEnumerable<string> Texts(IReadOnlyDictionary<string, object?> properties, string name)
        => Items(properties, name).Where(i => i != null).Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty);

    /// <summary>An enum from its name (JSON, Clixml's text of it) or its number; the default when absent or unknown.</summary>
    private static T EnumOf<T>(IReadOnlyDictionary<string, object?> properties, string name)
        where T : struct, Enum
        => Text(properties, name) is string text && Enum.TryParse(text, true, out T value) ? value : default;

    private static bool? Flag(IReadOnlyDictionary<string, object?> properties, string name) => Value(properties, name) switch
    {
        bool flag => flag,
        string text when bool.TryParse(text, out bool parsed) => parsed,
        _ => null,
    };

    /// <summary>
    /// A TimeSpan as Clixml keeps it, the milliseconds of the JSON export, or a TimeSpan's text; from
    /// ConvertTo-Json, which leaves the TimeSpan out, the milliseconds of DurationMs.
    /// </summary>
    private static TimeSpan Duration(IReadOnlyDictionary<string, object?> properties, string name) => (Value(properties, name) ?? Value(properties, name + "Ms")) switch
    {
        TimeSpan duration => duration,
        string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan parsed) => parsed,
        IConvertible number when !(number is string) => TimeSpan.FromMilliseconds(Convert.ToDouble(number, CultureInfo.InvariantCulture)),
        _ => TimeSpan.Zero,
    };

    /// <summary>A time as Clixml keeps it, or the ISO 8601 text of the JSON export (which ConvertFrom-Json may already have read as a DateTime).</summary>
    private static DateTimeOffset? Time(IReadOnlyDictionary<string, object?> properties, string name) => Value(properties, name) switch
    {
        DateTimeOffset time => time,
        DateTime time => new DateTimeOffset(time),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset parsed) => parsed,
        _ => null,
    };
}

/// <summary>
/// A result rebuilt from its serialized properties: the fields every result has are typed again, so
/// HTML and Markdown show it as before; all its fields, its own ones too, are kept for the JSON export.
/// </summary>
internal sealed class ImportedResult : CheckResult
{
    internal ImportedResult(string? typeName, string check, string target, IReadOnlyDictionary<string, object?> properties)
        : base(check, target)
    {
        TypeName = string.IsNullOrEmpty(typeName) ? check + "Result" : typeName!;
        Properties = properties;
    }

    /// <summary>The result's type when it was made, such as MxCheckResult.</summary>
    internal string TypeName { get; }

    /// <summary>Every property the result had, in their order.</summary>
    internal IReadOnlyDictionary<string, object?> Properties { get; }
}
