using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Checks;

/// <summary>
/// Turns the exception a check did not foresee (a reset in a phase it does not guard, an answer
/// no rule of it knows, a defect of ours) into that check's Error result, so that one hostile
/// server never costs the user the whole diagnosis. Ctrl+C still throws.
/// </summary>
internal static class CheckGuard
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> check, Func<T> blank, CancellationToken stop)
        where T : CheckResult
    {
        try
        {
            return await check().ConfigureAwait(false);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            return Concluded(blank(), ex);
        }
    }

    /// <summary>The result that says the check could not finish, and why, in words safe to show.</summary>
    public static T Concluded<T>(T result, Exception exception)
        where T : CheckResult
    {
        // An exception may quote a server's bytes.
        string text = ServerText.Printable(LineProtocol.FirstLine(exception.Message ?? string.Empty));
        result.AddStep("Exception", CheckStatus.Error, $"{exception.GetType().Name}: {text}");
        if (exception is IOException || exception is SocketException || exception is TimeoutException)
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                Texts.Messages.Format("Check_ConnectionBroken", result.Target, text),
                Texts.Messages["Check_ConnectionBroken_Remediation"]);
        }
        else
        {
            result.Conclude(CheckStatus.Error, DiagnosticCause.CheckFailed,
                Texts.Messages.Format("Check_Unexpected", result.Check, result.Target, exception.GetType().Name, text),
                Texts.Messages["Check_Unexpected_Remediation"]);
        }

        return result;
    }
}
