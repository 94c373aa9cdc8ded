using System;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Checks;

/// <summary>Runs a check's body under its deadline and times it.</summary>
internal static class CheckRunner
{
    /// <summary>
    /// A body that ends the check early concludes the result itself; a deadline that passes is
    /// handed to <paramref name="timedOut"/> to conclude, never thrown. Ctrl+C still throws.
    /// </summary>
    public static async Task<T> RunAsync<T>(T result, TimeSpan timeout, CancellationToken stop, Func<CancellationToken, Task> body, Action<T, TimeSpan> timedOut)
        where T : CheckResult
    {
        long started = Clock.Now;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            deadline.CancelAfter(timeout);
            try
            {
                await body(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                timedOut(result, Clock.Since(started));
            }
        }

        result.Duration = Clock.Since(started);
        return result;
    }
}
