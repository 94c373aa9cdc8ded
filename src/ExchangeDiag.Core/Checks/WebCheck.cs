using System;
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
        await CheckRunner.RunAsync(result, timeout, stop, body, (r, elapsed) =>
        {
            r.AddStep("Deadline", CheckStatus.Error, $"no complete answer within {timeout.TotalSeconds:0.#} s", elapsed);
            r.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                $"{r.Target} did not answer within {timeout.TotalSeconds:0.#} s.",
                "Check that the server is up and reachable from here (firewall, proxy), or raise -TimeoutSeconds.");
        }).ConfigureAwait(false);

        // -SkipCertificateCheck looks past a bad certificate; it never hides it.
        if (result.Status == CheckStatus.Passed && result.CertificateProblemSkipped != null)
        {
            result.Conclude(CheckStatus.Warning, DiagnosticCause.CertificateInvalid,
                $"{result.Message.TrimEnd('.')}, but only because -SkipCertificateCheck accepted an invalid certificate ({result.CertificateProblemSkipped}).",
                "Install a valid certificate on the server: clients refuse this one.");
        }

        return result;
    }

    /// <summary>Concludes a result whose request got no HTTP answer.</summary>
    public static void ConcludeNoAnswer(CheckResult result, HttpExchange exchange, Uri url)
        => ConcludeNoAnswer(result, exchange.Failure, exchange.Detail, exchange.Certificate, url);

    public static void ConcludeNoAnswer(CheckResult result, HttpFailure failure, string detail, CertificateInfo? certificate, Uri url)
    {
        switch (failure)
        {
            case HttpFailure.CertificateRejected:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.CertificateInvalid,
                    $"The TLS certificate of {url.Host} is not valid: {certificate?.Problem() ?? detail}.",
                    $"Install a valid certificate for {url.Host} on the server. Clients refuse this one; -SkipCertificateCheck looks past it for a diagnosis only.");
                break;
            case HttpFailure.NameNotResolved:
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    $"{url.Host} could not be reached: {detail}.",
                    $"Check the server name, and that {url.Host} has an A or AAAA record.");
                break;
            default:
                result.Conclude(CheckStatus.Error, DiagnosticCause.Unreachable,
                    $"{url.Host} could not be reached: {detail}.",
                    $"Check that {url.Host} is up and that port {url.Port} is open from here (firewall, proxy).");
                break;
        }
    }

    /// <summary>The https://host/ base of a -Server or -Url value.</summary>
    public static Uri BaseOf(Uri url) => new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
}
