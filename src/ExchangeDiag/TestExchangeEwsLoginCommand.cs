using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeEwsLogin: does Exchange Web Services accept the mailbox's credentials?</summary>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeEwsLogin", DefaultParameterSetName = "Server", HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeEwsLogin.md")]
[OutputType(typeof(EwsLoginResult), typeof(bool))]
public sealed class TestExchangeEwsLoginCommand : WebCheckCommand<EwsLoginResult>
{
    protected override string EndpointPath => "EWS/Exchange.asmx";

    protected override string EndpointName => "EWS";

    /// <summary>The EWS URL of the settings, else the one the unauthenticated JSON endpoint gave.</summary>
    protected override string? DiscoveredUrl(AutodiscoverResult discovery) => discovery.EwsUrl ?? discovery.JsonEwsUrl;

    protected override EwsLoginResult Skipped(string input, string reason) => SkippedResults.EwsLogin(new Uri(input), reason);

    protected override Task<EwsLoginResult> CheckEndpointAsync(Uri url, HttpSession http, CancellationToken stop)
        => EwsLoginCheck.RunAsync(url, Login, http, Timeout, stop);
}
