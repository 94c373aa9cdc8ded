using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace ExchangeDiag;

/// <summary>
/// A read-only list whose text form lists its items, so that Export-Csv and string
/// interpolation show the content instead of a generic type name.
/// </summary>
public sealed class SummaryList<T> : ReadOnlyCollection<T>
{
    internal SummaryList()
        : base(new List<T>())
    {
    }

    internal SummaryList(IEnumerable<T> items)
        : base(new List<T>(items))
    {
    }

    internal void Add(T item) => Items.Add(item);

    /// <summary>Replaces each item with what <paramref name="map"/> makes of it.</summary>
    internal void ReplaceAll(System.Func<T, T> map)
    {
        for (int i = 0; i < Items.Count; i++)
        {
            Items[i] = map(Items[i]);
        }
    }

    /// <summary>As <see cref="ReplaceAll(System.Func{T, T})"/>, with what <paramref name="map"/> needs passed in (no closure per call).</summary>
    internal void ReplaceAll<TState>(System.Func<T, TState, T> map, TState state)
    {
        for (int i = 0; i < Items.Count; i++)
        {
            Items[i] = map(Items[i], state);
        }
    }

    public override string ToString() => string.Join("; ", this);
}
