using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeDmarc: which DMARC policy protects a domain, and is it valid?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeDmarc", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeDmarc.md")]
[OutputType(typeof(DmarcCheckResult), typeof(bool))]
public sealed class TestExchangeDmarcCommand : DnsCheckCommand<DmarcCheckResult>
{
    protected override Task<DmarcCheckResult> CheckAsync(string domain, CancellationToken stop)
        => DmarcCheck.RunAsync(domain, Dns, Timeout, stop);
}
