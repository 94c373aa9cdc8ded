using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Security;

namespace ExchangeDiag.Reporting;

/// <summary>
/// JSON for automation, with the schema that docs/report-json.md documents: every object is
/// written with its public properties under their .NET names, base class first and in declaration
/// order, so a new property only ever adds a field. Enums are their names, durations (TimeSpan)
/// are numbers of milliseconds, times are ISO 8601 strings.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>Raised when a field changes meaning or disappears; adding fields keeps it.</summary>
    public const int SchemaVersion = 1;

    // Deeper than any result nests (a mail-flow result holds its send result, which holds a reply):
    // past it an object is written as its text, so an unexpected cycle cannot run away.
    private const int MaxDepth = 8;

    /// <summary>The JSON document for <paramref name="reports"/>.</summary>
    public static string Write(IReadOnlyList<DiagnosticReport> reports)
    {
        var json = new JsonTextBuilder();
        json.StartObject();
        json.Name("SchemaVersion");
        json.Number(SchemaVersion);
        json.Name("Reports");
        json.StartArray();
        foreach (DiagnosticReport report in reports)
        {
            WriteValue(json, report, 1);
        }

        json.EndArray();
        json.EndObject();
        return json + "\n";
    }

    private static void WriteValue(JsonTextBuilder json, object? value, int depth)
    {
        switch (value)
        {
            case null:
                json.Null();
                break;
            case string text:
                json.String(text);
                break;
            case bool flag:
                json.Bool(flag);
                break;
            case Enum named:
                json.String(named.ToString());
                break;
            case char character:
                json.String(character.ToString());
                break;
            case byte _:
            case sbyte _:
            case short _:
            case ushort _:
            case int _:
            case uint _:
            case long _:
                json.Number(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ulong large:
                json.Number((decimal)large);
                break;
            case float _:
            case double _:
                json.Number(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case decimal exact:
                json.Number(exact);
                break;
            case TimeSpan duration:
                json.Number(Milliseconds(duration));
                break;
            case DateTimeOffset time:
                json.String(time.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                json.String(time.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case Guid _:
            case Uri _:
            case Version _:
            case IPAddress _:
                json.String(value.ToString());
                break;
            case IDictionary dictionary:
                WriteDictionary(json, dictionary, depth);
                break;
            case IReadOnlyDictionary<string, object?> properties:
                WriteProperties(json, properties, null, depth);
                break;
            case IEnumerable items:
                json.StartArray();
                foreach (object? item in items)
                {
                    WriteValue(json, item, depth + 1);
                }

                json.EndArray();
                break;
            default:
                WriteObject(json, value, depth);
                break;
        }
    }

    /// <summary>Milliseconds with microsecond precision: enough for a network step, and short.</summary>
    private const string DurationMs = nameof(CheckResult.DurationMs);

    private static double Milliseconds(TimeSpan duration) => Math.Round(duration.TotalMilliseconds, 3);

    private static void WriteDictionary(JsonTextBuilder json, IDictionary dictionary, int depth)
    {
        json.StartObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            json.Name(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
            WriteValue(json, entry.Value, depth + 1);
        }

        json.EndObject();
    }

    private static void WriteProperties(JsonTextBuilder json, IReadOnlyDictionary<string, object?> properties, string? type, int depth)
    {
        json.StartObject();
        if (type != null)
        {
            json.Name("Type");
            json.String(type);
        }

        foreach (KeyValuePair<string, object?> property in properties)
        {
            if (type != null && property.Key == "Type")
            {
                continue;
            }

            // DurationMs came from ConvertTo-Json (in place of Duration) or from Clixml (beside it):
            // this document writes Duration in milliseconds, once.
            string name = property.Key;
            if (name == DurationMs)
            {
                if (properties.ContainsKey("Duration"))
                {
                    continue;
                }

                name = "Duration";
            }

            json.Name(name);
            WriteValue(json, property.Value, depth + 1);
        }

        json.EndObject();
    }

    private static void WriteObject(JsonTextBuilder json, object value, int depth)
    {
        if (depth > MaxDepth)
        {
            json.String(value.ToString());
            return;
        }

        if (value is ImportedResult imported)
        {
            // An imported result is written with the fields it had, its own ones too, as when it was made.
            WriteProperties(json, imported.Properties, imported.TypeName, depth);
            return;
        }

        json.StartObject();
        if (value is CheckResult)
        {
            // Results of many kinds share one list: the type tells a reader which fields follow.
            json.Name("Type");
            json.String(value.GetType().Name);
        }

        foreach (PropertyInfo property in PublicProperties(value.GetType()))
        {
            json.Name(property.Name);
            WriteValue(json, property.GetValue(value), depth + 1);
        }

        json.EndObject();
    }

    /// <summary>
    /// Readable public instance properties, base class first, each class's in declaration order
    /// (metadata order), which the compiler keeps from the source: the field order is stable.
    /// </summary>
    /// <remarks>
    /// DurationMs is Duration for ConvertTo-Json, where the TimeSpan itself is hidden; this document
    /// writes every TimeSpan in milliseconds already, so Duration alone.
    /// </remarks>
    private static IEnumerable<PropertyInfo> PublicProperties(Type type)
    {
        var chain = new List<Type>();
        for (Type? t = type; t != null && t != typeof(object); t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        // A property a derived class overrides or hides keeps its base position, written once.
        var names = new HashSet<string>(StringComparer.Ordinal);
        return chain.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(p => p.CanRead && p.GetMethod!.IsPublic && p.GetIndexParameters().Length == 0 && !IsSecret(p.PropertyType) && p.Name != DurationMs)
                .OrderBy(p => p.MetadataToken))
            .Where(p => names.Add(p.Name))
            .ToList();
    }

    /// <summary>
    /// Results hold no secrets by design; should a credential type ever appear on one, it is left
    /// out of the document rather than trusted to print itself harmlessly.
    /// </summary>
    private static bool IsSecret(Type type)
        => typeof(SecureString).IsAssignableFrom(type)
        || typeof(ICredentials).IsAssignableFrom(type)
        || type.FullName == "System.Management.Automation.PSCredential";
}
