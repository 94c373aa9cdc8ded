using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeSpf: does a domain publish one valid SPF record, within the lookup limits, that includes its provider?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeSpf", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeSpf.md")]
[OutputType(typeof(SpfCheckResult), typeof(bool))]
public sealed class TestExchangeSpfCommand : DnsCheckCommand<SpfCheckResult>
{
    private SpfExpectation _expectation = SpfExpectation.Any;

    /// <summary>The domains the SPF record must include (directly or nested); overrides -Provider.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ExpectedInclude { get; set; }

    protected override void Begin()
    {
        _expectation = SpfExpectation.Create(HostNames.Normalize(this, nameof(ExpectedInclude), ExpectedInclude), Provider);
        base.Begin();
    }

    protected override Task<SpfCheckResult> CheckAsync(string domain, CancellationToken stop)
        => SpfCheck.RunAsync(domain, _expectation, Dns, Timeout, stop);
}
