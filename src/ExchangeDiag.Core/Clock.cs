using System;
using System.Diagnostics;

namespace ExchangeDiag;

/// <summary>
/// Elapsed time from a timestamp, without a Stopwatch object: a bulk run times every check and
/// every question, a million of each.
/// </summary>
internal static class Clock
{
    private static readonly double TicksPerTimestamp = TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency;

    public static long Now => Stopwatch.GetTimestamp();

    public static TimeSpan Since(long start) => TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - start) * TicksPerTimestamp));
}
