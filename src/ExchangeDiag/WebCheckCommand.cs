using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>
/// The authenticated checks of one endpoint: a server name, or the endpoint's full HTTPS URL.
/// Credentials only ever go to HTTPS addresses.
/// </summary>
public abstract class WebCheckCommand<TResult> : AuthenticatedCheckCommand<TResult>
    where TResult : CheckResult
{
    private const string ServerSet = "Server";
    private const string UrlSet = "Url";

    /// <summary>The Exchange server, such as ex4.mail.ovh.net.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ServerSet)]
    [Alias("ExchangeServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The full HTTPS address of the endpoint, for servers that publish it elsewhere.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlSet)]
    [AllowEmptyString]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>The endpoint's path on a server given with -Server, such as "owa/".</summary>
    protected abstract string EndpointPath { get; }

    /// <summary>Checks the endpoint at <paramref name="url"/> through <paramref name="http"/>.</summary>
    protected abstract Task<TResult> CheckEndpointAsync(Uri url, HttpSession http, CancellationToken stop);

    protected override async Task<TResult> CheckWithCredentialAsync(string input, CancellationToken stop)
    {
        using HttpSession http = NewHttpSession();
        return await CheckEndpointAsync(new Uri(input), http, stop).ConfigureAwait(false);
    }

    protected override IEnumerable<string> InputValues => ParameterSetName == UrlSet ? Url : Server;

    protected override string InvalidInputErrorId => ParameterSetName == UrlSet ? "InvalidUrl" : "InvalidServerName";

    protected override string? Normalize(string input, out string? error)
    {
        error = null;
        if (ParameterSetName == UrlSet)
        {
            if (!Uri.TryCreate(input.Trim(), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                error = "is not an absolute https:// address";
                return null;
            }

            if (url.Scheme != Uri.UriSchemeHttps)
            {
                error = "is a plain http:// address; credentials are only ever sent over HTTPS";
                return null;
            }

            return url.ToString();
        }

        string? host = HostNames.NormalizeServer(input, out error);
        if (host == null)
        {
            return null;
        }

        // An IPv6 literal needs its brackets in a URL.
        string authority = IPAddress.TryParse(host, out IPAddress? address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        return new Uri($"https://{authority}/{EndpointPath}").ToString();
    }
}
