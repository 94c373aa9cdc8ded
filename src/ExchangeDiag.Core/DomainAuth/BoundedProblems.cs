using System.Collections;
using System.Collections.Generic;

namespace ExchangeDiag.DomainAuth;

/// <summary>
/// The problems a parser found, of which only the first few are kept: a hostile record or policy
/// (a 60 KB "rua=,,,,", a thousand bad lines) must not turn into thousands of texts, a message of
/// megabytes or a step per line. <see cref="Total"/> counts them all; <see cref="ToString"/> says
/// "a; b; c; d; e; and N more".
/// </summary>
internal sealed class BoundedProblems : IReadOnlyList<string>
{
    /// <summary>How many problems are kept word for word.</summary>
    public const int Kept = 5;

    private readonly List<string> _kept = new List<string>(Kept);

    /// <summary>Every problem found, kept or not.</summary>
    public int Total { get; private set; }

    /// <summary>The problems found beyond the first <see cref="Kept"/>.</summary>
    public int Omitted => Total - _kept.Count;

    /// <summary>The number kept (at most <see cref="Kept"/>); zero exactly when none was found.</summary>
    public int Count => _kept.Count;

    public string this[int index] => _kept[index];

    public void Add(string problem)
    {
        Total++;
        if (_kept.Count < Kept)
        {
            _kept.Add(problem);
        }
    }

    public IEnumerator<string> GetEnumerator() => _kept.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The kept problems joined with "; ", and "and N more" for the others (English, for the trace and messages).</summary>
    public override string ToString()
        => Omitted == 0 ? string.Join("; ", _kept) : $"{string.Join("; ", _kept)}; and {Omitted} more";
}
