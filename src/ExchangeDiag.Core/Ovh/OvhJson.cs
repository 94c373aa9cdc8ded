using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ExchangeDiag.Ovh;

/// <summary>
/// The little JSON the client needs, with what both target frameworks have built in: answers are
/// read through the framework's JSON-to-XML reader, request bodies are flat objects of strings.
/// </summary>
internal static class OvhJson
{
    /// <summary>An API boolean as the API writes it, "?" when it gave none: for the trace and messages.</summary>
    public static string Literal(bool? value) => value == null ? "?" : value.Value ? "true" : "false";

    /// <summary>
    /// The deepest nesting we read: the API's answers are a few levels deep, and the framework's
    /// reader costs time quadratic in depth (50,000 levels took 9.5 s), so a hostile answer must stop early.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>The answer as the reader's XML tree: objects and arrays are elements, "item" for array members. Deeper than <see cref="MaxDepth"/> throws XmlException.</summary>
    public static XElement Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        int size = Math.Max(bytes.Length, 1024);
        var quotas = new XmlDictionaryReaderQuotas
        {
            // Elements, not JSON levels: each JSON level is one element, the root adds one.
            MaxDepth = MaxDepth + 1,
            MaxStringContentLength = size,
            MaxArrayLength = size,
            MaxBytesPerRead = size,
            MaxNameTableCharCount = size,
        };
        using XmlDictionaryReader reader = JsonReaderWriterFactory.CreateJsonReader(bytes, quotas);
        return XElement.Load(reader);
    }

    public static string Write(IEnumerable<KeyValuePair<string, string?>> members)
    {
        var json = new StringBuilder("{");
        foreach (KeyValuePair<string, string?> member in members.Where(m => m.Value != null))
        {
            if (json.Length > 1)
            {
                json.Append(',');
            }

            json.AppendJsonString(member.Key);
            json.Append(':');
            json.AppendJsonString(member.Value!);
        }

        return json.Append('}').ToString();
    }

    public static bool IsNull(this XElement element) => (string?)element.Attribute("type") == "null";

    public static XElement? Member(this XElement obj, string name)
    {
        XElement? member = obj.Element(name)
            ?? obj.Elements().FirstOrDefault(e => (string?)e.Attribute("item") == name);
        return member == null || member.IsNull() ? null : member;
    }

    public static string? String(this XElement obj, string name) => obj.Member(name)?.Value;

    public static bool? Bool(this XElement obj, string name)
        => obj.Member(name) is XElement member ? string.Equals(member.Value, "true", StringComparison.OrdinalIgnoreCase) : (bool?)null;

    public static long? Long(this XElement obj, string name)
        => obj.Member(name) is XElement member && long.TryParse(member.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;

    public static DateTimeOffset? Date(this XElement obj, string name)
        => obj.Member(name) is XElement member && DateTimeOffset.TryParse(member.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset value) ? value : (DateTimeOffset?)null;

    /// <summary>The members of an array answer (or member), as strings.</summary>
    public static IReadOnlyList<string> Strings(this XElement array) => array.Elements().Where(e => !e.IsNull()).Select(e => e.Value).ToList();

}
