using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Checks;

/// <summary>What the HTTPS checks share: the deadline and the conclusions when a server gives no answer.</summary>
internal static class WebCheck
{
    public static async Task<T> RunAsync<T>(T result, TimeSpan timeout, CancellationToken stop, Func<CancellationToken, Task> body)
        where T : CheckResult
    {
        await CheckRunner.RunAsync(result, timeout, stop, async deadline =>
        {
            try
            {
                await body(deadline).ConfigureAwait(false);
            }
            catch (AnswerTooLongException ex)
            {
                // An answer over our caps is the server's fault, and the end of the check: never unbounded memory.
                result.AddStep("Answer", CheckStatus.Error, ex.Message);
                result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError,
                    Texts.Messages.Format("Web_AnswerTooLong", result.Target, ex.Said),
                    Advice.ServerError);
            }
        }, (r, elapsed) =>
        {
            r.AddStep("Deadline", CheckStatus.Error, $"no complete answer within {timeout.TotalSeconds:0.#} s", elapsed);
            r.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                Texts.Messages.Format("Web_TimedOut", r.Target, timeout.TotalSeconds),
                Texts.Messages["Web_TimedOut_Remediation"]);
        }).ConfigureAwait(false);

        // -SkipCertificateCheck looks past a bad certificate; it never hides it.
        if (result.Status == CheckStatus.Passed && result.CertificateProblemSkipped != null)
        {
            result.Conclude(CheckStatus.Warning, DiagnosticCause.CertificateInvalid,
                Texts.Messages.Format("Web_CertificateSkipped", result.Message.TrimEnd('.'), result.CertificateProblemSkipped),
                Texts.Messages["Web_CertificateSkipped_Remediation"]);
        }

        return result;
    }

    /// <summary>Concludes a result whose request got no HTTP answer.</summary>
    public static void ConcludeNoAnswer(CheckResult result, HttpExchange exchange, Uri url)
        => ConcludeNoAnswer(result, exchange.Failure, exchange.Said, exchange.Certificate, url);

    internal static void ConcludeNoAnswer(CheckResult result, HttpFailure failure, Phrase detail, CertificateInfo? certificate, Uri url)
    {
        switch (failure)
        {
            case HttpFailure.CertificateRejected:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                    Texts.Messages.Format("Web_CertificateInvalid", url.Host, certificate?.Problem(CultureInfo.CurrentUICulture) ?? detail.ToString()),
                    Texts.Messages.Format("Web_CertificateInvalid_Remediation", url.Host));
                break;
            case HttpFailure.NameNotResolved:
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    Texts.Messages.Format("Web_Unreachable", url.Host, detail),
                    Texts.Messages.Format("Web_NameNotResolved_Remediation", url.Host));
                break;
            default:
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    Texts.Messages.Format("Web_Unreachable", url.Host, detail),
                    Texts.Messages.Format("Web_Unreachable_Remediation", url.Host, url.Port));
                break;
        }
    }

    /// <summary>The https://host/ base of a -Server or -Url value.</summary>
    public static Uri BaseOf(Uri url) => new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
}
