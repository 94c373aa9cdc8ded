using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace ExchangeDiag.Reporting;

/// <summary>
/// The properties of one serialized object, by name, in the order they came: what
/// <see cref="ReportImport"/> reads, and what the JSON export writes again in that order.
/// </summary>
public sealed class PropertyBag : IReadOnlyDictionary<string, object?>
{
    private readonly List<KeyValuePair<string, object?>> _ordered = new List<KeyValuePair<string, object?>>();
    private readonly Dictionary<string, object?> _byName = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a property; a name already there keeps its first value.</summary>
    public void Add(string name, object? value)
    {
        if (_byName.ContainsKey(name))
        {
            return;
        }

        _byName.Add(name, value);
        _ordered.Add(new KeyValuePair<string, object?>(name, value));
    }

    public object? this[string key] => _byName[key];

    public IEnumerable<string> Keys => _ordered.Select(p => p.Key);

    public IEnumerable<object?> Values => _ordered.Select(p => p.Value);

    public int Count => _ordered.Count;

    public bool ContainsKey(string key) => _byName.ContainsKey(key);

#if NET
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _byName.TryGetValue(key, out value);
#else
    public bool TryGetValue(string key, out object? value) => _byName.TryGetValue(key, out value);
#endif

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _ordered.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
