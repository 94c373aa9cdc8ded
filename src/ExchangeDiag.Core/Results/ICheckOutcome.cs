using System;

namespace ExchangeDiag;

/// <summary>What the cmdlets' pipeline needs of anything it writes: a check's result or a whole diagnosis.</summary>
public interface ICheckOutcome
{
    /// <summary>What the outcome is about, for -Verbose: "Mx contoso.com", or a mailbox's address.</summary>
    string Subject { get; }

    CheckStatus Status { get; }

    bool Passed { get; }

    TimeSpan Duration { get; }
}
