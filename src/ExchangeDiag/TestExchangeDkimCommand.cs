using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeDkim: does a domain publish usable DKIM keys?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeDkim", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeDkim.md")]
[OutputType(typeof(DkimCheckResult), typeof(bool))]
public sealed class TestExchangeDkimCommand : DnsCheckCommand<DkimCheckResult>
{
    private string[]? _selectors;

    /// <summary>The selectors to check (the s= of a DKIM-Signature header); without it, common selectors are tried.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 16)]
    public string[]? Selector { get; set; }

    protected override void Begin()
    {
        _selectors = HostNames.NormalizeDkimSelectors(this, nameof(Selector), Selector);
        base.Begin();
    }

    protected override Task<DkimCheckResult> CheckAsync(string domain, CancellationToken stop)
        => DkimCheck.RunAsync(domain, _selectors, Provider, Dns, Timeout, stop);
}
