using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace ExchangeDiag.Dns;

/// <summary>
/// What one invocation remembers of its questions, bounded in count: two generations of at most
/// <see cref="Capacity"/> entries. An entry asked for again is found in either generation and kept
/// in the newer one; when the newer one is full it becomes the older, and the older is dropped.
/// Answers many inputs share (the provider's MX hosts) are asked again and again, so they stay;
/// each domain's own answer is forgotten after <see cref="Capacity"/> newer questions. Memory no
/// longer grows with the input: a million domains keep as much as ten thousand.
/// </summary>
internal sealed class BoundedCache<TValue>
{
    /// <summary>Entries per generation: a list of this many domains is still asked each question once.</summary>
    public const int Capacity = 1024;

    private readonly object _gate = new object();
    private readonly IEqualityComparer<string> _comparer;
    private volatile ConcurrentDictionary<string, TValue> _newer;
    private ConcurrentDictionary<string, TValue> _older;
    private int _newerCount;

    public BoundedCache(IEqualityComparer<string> comparer)
    {
        _comparer = comparer;
        _newer = new ConcurrentDictionary<string, TValue>(comparer);
        _older = new ConcurrentDictionary<string, TValue>(comparer);
    }

    /// <summary>
    /// The entry for <paramref name="key"/>, made by <paramref name="create"/> (which must be cheap:
    /// it runs under the lock) when there is none. An entry of the newer generation is found without
    /// the lock: the provider's MX hosts are looked up for every domain, by every thread.
    /// </summary>
    public TValue GetOrAdd(string key, Func<string, TValue> create)
        => GetOrAdd(key, static (k, make) => make(k), create);

    /// <summary>
    /// As <see cref="GetOrAdd(string, Func{string, TValue})"/>, with what <paramref name="create"/> needs
    /// passed in: a static lambda then allocates no closure on the lookups that find their entry.
    /// </summary>
    public TValue GetOrAdd<TArg>(string key, Func<string, TArg, TValue> create, TArg argument)
    {
        if (_newer.TryGetValue(key, out TValue? found))
        {
            return found;
        }

        lock (_gate)
        {
            if (_newer.TryGetValue(key, out found))
            {
                return found;
            }

            if (!_older.TryGetValue(key, out found))
            {
                found = create(key, argument);
            }

            if (_newerCount >= Capacity)
            {
                _older = _newer;
                _newer = new ConcurrentDictionary<string, TValue>(_comparer);
                _newerCount = 0;
            }

            _newer[key] = found;
            _newerCount++;
            return found;
        }
    }
}
