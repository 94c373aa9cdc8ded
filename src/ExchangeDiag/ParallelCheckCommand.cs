using System.Management.Automation;

namespace ExchangeDiag.Commands;

/// <summary>Checks that log in to nothing, and so may check many inputs at once.</summary>
public abstract class ParallelCheckCommand<TResult> : CheckCommand<TResult>
    where TResult : class, ICheckOutcome
{
    /// <summary>How many inputs are checked at the same time.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 32;

    protected override int Concurrency => ThrottleLimit;
}
