using System;

namespace ExchangeDiag;

/// <summary>
/// One thing a check tried, in the order it was tried. The Detail is a technical trace (queries,
/// server replies, codes) and stays in English whatever the UI culture, so that it reads the same
/// to support in any country; only findings, which repeat a result's Message, are localised.
/// </summary>
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

    /// <remarks>For scripts; hidden from ConvertTo-Json, Export-Csv and Format-List *, which show DurationMs instead (README: Results).</remarks>
    [System.Management.Automation.Hidden]
#if NET
    [Newtonsoft.Json.JsonIgnore]
#endif
    public TimeSpan Duration { get; }

    /// <summary>Duration in milliseconds, for ConvertTo-Json and Export-Csv (the report JSON writes Duration itself in milliseconds).</summary>
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);

    internal CheckStep WithDetail(string detail) => detail == Detail ? this : new CheckStep(Name, Status, detail, Duration);

    public override string ToString() => $"{Name}: {Status} - {Detail}";
}
