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
/// The authenticated checks of one endpoint: a server name, the endpoint's full HTTPS URL, or the
/// result of Test-ExchangeAutodiscover, whose discovered URL is used. Credentials only ever go to
/// HTTPS addresses.
/// </summary>
public abstract class WebCheckCommand<TResult> : ServerLoginCommand<TResult>
    where TResult : CheckResult
{
    private const string ServerSet = "Server";
    private const string UrlSet = "Url";
    private const string AutodiscoverSet = "Autodiscover";

    /// <summary>The Exchange server, such as ex4.mail.ovh.net.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ServerSet)]
    [Alias("ExchangeServer", "ComputerName")]
    [AllowEmptyString]
    public string[] Server { get; set; } = Array.Empty<string>();

    /// <summary>The full HTTPS address of the endpoint, for servers that publish it elsewhere.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlSet)]
    [AllowEmptyString]
    public string[] Url { get; set; } = Array.Empty<string>();

    /// <summary>
    /// Results of Test-ExchangeAutodiscover, live or deserialized: the endpoint's URL they discovered
    /// is checked. Bound by type before any property, so their Server property (often an internal
    /// name, or a GUID at Exchange Online) is never taken for a server to connect to, nor their Url
    /// (the Autodiscover address) for the endpoint's.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = AutodiscoverSet)]
    [ValidateNotNull]
    [DeserializedAutodiscover]
    public AutodiscoverResult[] InputObject { get; set; } = Array.Empty<AutodiscoverResult>();

    /// <summary>The endpoint's name in messages, such as "OWA".</summary>
    protected abstract string EndpointName { get; }

    /// <summary>The endpoint's URL that Autodiscover gave, or null when it gave none.</summary>
    protected abstract string? DiscoveredUrl(AutodiscoverResult discovery);

    /// <summary>The endpoint's path on a server given with -Server, such as "owa/".</summary>
    protected abstract string EndpointPath { get; }

    /// <summary>Checks the endpoint at <paramref name="url"/> through <paramref name="http"/>.</summary>
    protected abstract Task<TResult> CheckEndpointAsync(Uri url, HttpSession http, CancellationToken stop);

    protected override async Task<TResult> CheckWithCredentialAsync(string input, CancellationToken stop)
    {
        using HttpSession http = NewHttpSession();
        return await CheckEndpointAsync(new Uri(input), http, stop).ConfigureAwait(false);
    }

    /// <summary>A server or URL the user typed; never the address a piped discovery found.</summary>
    private protected override string? NamedServer(string input) => ParameterSetName == AutodiscoverSet ? null : new Uri(input).Host;

    protected override IEnumerable<string> InputValues => ParameterSetName switch
    {
        UrlSet => Url,
        AutodiscoverSet => DiscoveredUrls(),
        _ => Server,
    };

    protected override string InvalidInputErrorId => ParameterSetName == ServerSet ? "InvalidServerName" : "InvalidUrl";

    /// <summary>The URLs of the piped discoveries; a discovery without one is refused in its place.</summary>
    private IEnumerable<string> DiscoveredUrls()
    {
        foreach (AutodiscoverResult discovery in InputObject)
        {
            if (discovery.CredentialRefused)
            {
                // The same password again, at another URL of the same server, is one more failed login toward the lockout.
                var refused = new InvalidOperationException(Checks.SkippedResults.CredentialRefusedReason(discovery.Target, discovery.EmailAddress));
                Refuse(new ErrorRecord(refused, "CredentialRefused", ErrorCategory.PermissionDenied, discovery));
                continue;
            }

            string? url = DiscoveredUrl(discovery);
            if (string.IsNullOrWhiteSpace(url))
            {
                var error = new ArgumentException(Texts.Commands.Format("Discovery_NoUrl", EndpointName, discovery.EmailAddress, Texts.Report["Status" + discovery.Status], discovery.Message));
                Refuse(new ErrorRecord(error, "NoDiscoveredUrl", ErrorCategory.ObjectNotFound, discovery));
                continue;
            }

            WriteVerbose($"{discovery.EmailAddress}: {EndpointName} at {url}, as Autodiscover gave it (by {discovery.Method}).");
            yield return url!;
        }
    }

    protected override string? Normalize(string input, out string? error)
    {
        error = null;
        if (ParameterSetName != ServerSet)
        {
            if (!Uri.TryCreate(input.Trim(), UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                error = Texts.Commands["Input_NotHttps"];
                return null;
            }

            if (url.Scheme != Uri.UriSchemeHttps)
            {
                error = Texts.Commands["Input_PlainHttp"];
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
