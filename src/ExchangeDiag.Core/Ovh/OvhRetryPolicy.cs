using System;

namespace ExchangeDiag.Ovh;

/// <summary>
/// When to try a call again: only after 429 or 5xx, at most <see cref="MaxRetries"/> times,
/// waiting what Retry-After asks (capped) or else an exponentially growing delay, and never
/// past the call's own deadline.
/// </summary>
internal sealed class OvhRetryPolicy
{
    public OvhRetryPolicy(int maxRetries = 3, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        MaxRetries = maxRetries;
        BaseDelay = baseDelay ?? TimeSpan.FromSeconds(1);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(10);
    }

    public int MaxRetries { get; }

    public TimeSpan BaseDelay { get; }

    /// <summary>The longest wait before one retry, whatever Retry-After says.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>
    /// A rate limit (429) is refused before any work, so any call may be tried again. A server
    /// error may come after the work was done: only a GET is repeated then, never a POST, which
    /// could start a second diagnosis (another login with the password) or open a second ticket.
    /// </summary>
    public static bool IsRetryable(string method, int statusCode)
        => statusCode == 429 || (statusCode >= 500 && method == "GET");

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first), or null when the
    /// call should give up: retries used up, or the wait would not end before the deadline.
    /// </summary>
    public TimeSpan? DelayBefore(int retry, TimeSpan? retryAfter, TimeSpan remaining)
    {
        if (retry < 1 || retry > MaxRetries)
        {
            return null;
        }

        TimeSpan delay = retryAfter ?? TimeSpan.FromTicks(BaseDelay.Ticks * (1L << (retry - 1)));
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (delay > MaxDelay)
        {
            delay = MaxDelay;
        }

        // Waiting to be cut off by the deadline helps no one: better the real error now.
        return delay < remaining ? delay : (TimeSpan?)null;
    }
}
