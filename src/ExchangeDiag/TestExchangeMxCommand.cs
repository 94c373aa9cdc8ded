using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeMx: are a domain's MX records those of its Exchange provider, and do they resolve?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeMx", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeMx.md")]
[OutputType(typeof(MxCheckResult), typeof(bool))]
public sealed class TestExchangeMxCommand : DnsCheckCommand<MxCheckResult>
{
    private MxExpectation _expectation = MxExpectation.Any;

    /// <summary>The MX hosts the domain must use, most preferred first; overrides -Provider.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ExpectedMx { get; set; }

    /// <summary>The Exchange server (ex?.mail.ovh.net), valid as the only MX when POP/IMAP is hosted elsewhere.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExchangeServer { get; set; }

    protected override void Begin()
    {
        string[]? expectedMx = HostNames.Normalize(this, nameof(ExpectedMx), ExpectedMx);
        string? exchangeServer = HostNames.Normalize(this, nameof(ExchangeServer), ExchangeServer)?.FirstOrDefault();
        _expectation = MxExpectation.Create(expectedMx, Provider, exchangeServer);
        base.Begin();
    }

    protected override Task<MxCheckResult> CheckAsync(string domain, CancellationToken stop)
        => MxCheck.RunAsync(domain, _expectation, Dns, Timeout, stop);
}
