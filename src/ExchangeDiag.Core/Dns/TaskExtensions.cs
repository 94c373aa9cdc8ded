using System;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Dns;

internal static class TaskExtensions
{
    /// <summary>
    /// Stops waiting for a shared task when this caller's token fires, without cancelling the
    /// task for the other callers that await it (Task.WaitAsync does not exist on net472).
    /// </summary>
    public static Task<T> WaitOrCancel<T>(this Task<T> task, CancellationToken cancellationToken)
        // A finished task (a remembered DNS answer, for most callers) is handed back as it is: no wait, no allocation.
        // On .NET the runtime's WaitAsync does the same with one object instead of five (every domain's
        // own question waits here under its deadline).
        => task.IsCompleted || !cancellationToken.CanBeCanceled ? task
#if NET
        : task.WaitAsync(cancellationToken);
#else
        : WaitAsync(task, cancellationToken);
#endif

#if !NET
    private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await task.ConfigureAwait(false);
    }
#endif
}
