using System;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>
/// The pieces every domain of a bulk run passes through, written without LINQ or closures for
/// speed (issue 13): they must decide exactly as the LINQ they replaced.
/// </summary>
public class BulkPathTests
{
    [Fact]
    public void The_verdict_concludes_with_the_first_finding_of_the_worst_rank()
    {
        var verdict = new Verdict();
        verdict.Add(CheckStatus.Warning, DiagnosticCause.MxInvalid, "warning one.", "w1");
        verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable, "error one.", "e1");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.MxInvalid, "failed one.", "f1");
        verdict.Add(CheckStatus.Failed, DiagnosticCause.SrvInvalid, "failed two.", "f2");
        var result = new MxCheckResult("contoso.com");

        verdict.ApplyTo(result, "passed.");

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.MxInvalid, result.Cause);
        Assert.StartsWith("failed one", result.Message);
        Assert.Equal("f1", result.Remediation);
        Assert.Equal(4, result.Steps.Count);
    }

    [Fact]
    public void A_verdict_without_findings_passes_with_the_pass_message()
    {
        var result = new MxCheckResult("contoso.com");

        new Verdict().ApplyTo(result, "passed.");

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Equal("passed.", result.Message);
        Assert.Null(result.Remediation);
        Assert.Empty(result.Steps);
    }

    [Fact]
    public void The_cache_makes_an_entry_once_from_the_argument_given()
    {
        var cache = new BoundedCache<string>(StringComparer.OrdinalIgnoreCase);
        int made = 0;

        string first = cache.GetOrAdd("MX contoso.com", (key, suffix) => { made++; return key + suffix; }, "!");
        string again = cache.GetOrAdd("mx CONTOSO.com", (key, suffix) => { made++; return key + suffix; }, "?");

        Assert.Equal("MX contoso.com!", first);
        Assert.Same(first, again);
        Assert.Equal(1, made);
    }

    [Fact]
    public void A_cache_entry_asked_for_again_survives_while_newer_ones_push_others_out()
    {
        var cache = new BoundedCache<object>(StringComparer.Ordinal);
        object shared = cache.GetOrAdd("shared", static (_, value) => value, new object());
        object oneOff = cache.GetOrAdd("one-off", static (_, value) => value, new object());
        for (int i = 0; i < BoundedCache<object>.Capacity * 2; i++)
        {
            cache.GetOrAdd("d" + i, static (_, value) => value, new object());
            Assert.Same(shared, cache.GetOrAdd("shared", static (_, value) => value, new object()));
        }

        Assert.NotSame(oneOff, cache.GetOrAdd("one-off", static (_, value) => value, new object()));
    }

    [Fact]
    public async Task Waiting_for_a_shared_answer_stops_at_the_callers_token_without_cancelling_the_answer()
    {
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var deadline = new CancellationTokenSource();

        Task<int> waiting = answer.Task.WaitOrCancel(deadline.Token);
        deadline.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(answer.Task.IsCompleted);
        answer.SetResult(42);
        Assert.Equal(42, await answer.Task.WaitOrCancel(CancellationToken.None));
    }

    [Fact]
    public void A_finished_answer_is_handed_back_as_it_is()
    {
        Task<int> done = Task.FromResult(7);
        using var deadline = new CancellationTokenSource();

        Assert.Same(done, done.WaitOrCancel(deadline.Token));
    }
}
