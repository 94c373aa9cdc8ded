using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeOwaLogin: does the mailbox's password open webmail, and if not, why not?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeOwaLogin", DefaultParameterSetName = "Server", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeOwaLogin.md")]
[OutputType(typeof(OwaLoginResult), typeof(bool))]
public sealed class TestExchangeOwaLoginCommand : WebCheckCommand<OwaLoginResult>
{
    protected override string EndpointPath => "owa/";

    protected override string EndpointName => "OWA";

    protected override string? DiscoveredUrl(AutodiscoverResult discovery) => discovery.OwaUrl;

    protected override OwaLoginResult Skipped(string input, string reason) => SkippedResults.OwaLogin(new Uri(input), reason);

    protected override Task<OwaLoginResult> CheckEndpointAsync(Uri url, HttpSession http, CancellationToken stop)
        => OwaLoginCheck.RunAsync(url, Login, http, Timeout, stop);
}
