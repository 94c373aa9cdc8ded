using System;

namespace ExchangeDiag;

/// <summary>One thing a check tried, in the order it was tried.</summary>
public sealed class CheckStep
{
    public CheckStep(string name, CheckStatus status, string detail, TimeSpan duration)
    {
        Name = name;
        Status = status;
        Detail = detail;
        Duration = duration;
    }

    public string Name { get; }

    public CheckStatus Status { get; }

    public string Detail { get; }

    public TimeSpan Duration { get; }

    public override string ToString() => $"{Name}: {Status} - {Detail}";
}
