using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeSrv: does the domain's _autodiscover._tcp SRV record lead clients to its Exchange server?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeSrv", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeSrv.md")]
[OutputType(typeof(SrvCheckResult), typeof(bool))]
public sealed class TestExchangeSrvCommand : DnsCheckCommand<SrvCheckResult>
{
    private SrvExpectation _expectation = SrvExpectation.Create(null, null);

    /// <summary>The host the SRV record must point to, such as ex4.mail.ovh.net.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExpectedTarget { get; set; }

    protected override void Begin()
    {
        string? expectedTarget = HostNames.Normalize(this, nameof(ExpectedTarget), ExpectedTarget)?.FirstOrDefault();
        _expectation = SrvExpectation.Create(expectedTarget, Provider);
        base.Begin();
    }

    protected override Task<SrvCheckResult> CheckAsync(string domain, CancellationToken stop)
        => SrvCheck.RunAsync(domain, _expectation, Dns, Timeout, stop);
}
