using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeMtaSts: does a domain's MTA-STS policy (RFC 8461) let senders deliver to its MX hosts, and is TLS-RPT published?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeMtaSts", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeMtaSts.md")]
[OutputType(typeof(MtaStsCheckResult), typeof(bool))]
public sealed class TestExchangeMtaStsCommand : DnsCheckCommand<MtaStsCheckResult>
{
    protected override async Task<MtaStsCheckResult> CheckAsync(string domain, CancellationToken stop)
    {
        // One session per domain: a session's TLS steps belong to the one result it reports into.
        // Certificates are always validated: senders fetching the policy never skip that (RFC 8461 §3.3).
        using var http = new HttpSession(Dns, skipCertificateCheck: false, WriteVerboseFromAnyThread);
        return await MtaStsCheck.RunAsync(domain, http, Dns, Timeout, stop).ConfigureAwait(false);
    }
}
