using System;

namespace ExchangeDiag;

/// <summary>What the cmdlets' pipeline needs of anything it writes: a check's result or a whole diagnosis.</summary>
public interface ICheckOutcome
{
    CheckStatus Status { get; }

    bool Passed { get; }

    TimeSpan Duration { get; }
}
