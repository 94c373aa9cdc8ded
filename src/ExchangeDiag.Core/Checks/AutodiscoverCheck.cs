using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Auth;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;

namespace ExchangeDiag.Checks;

/// <summary>
/// Finds a mailbox's settings the way Outlook does ([MS-OXDISCO] 3.1.5, PROTOCOL-NOTES 4): the two
/// HTTPS URLs, the unauthenticated HTTP redirect, then the SRV record; redirects followed up to 10
/// times. Credentials only ever go to HTTPS Autodiscover URLs, and a refused credential stops the
/// discovery at once: trying it on the next method could lock the account.
/// </summary>
public static class AutodiscoverCheck
{
    private const string XmlPath = "/autodiscover/autodiscover.xml";
    private const int MaxRedirects = 10;
    private const string RequestSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    private const string ResponseSchema = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
    private static readonly Regex JsonUrl = new Regex("\"Url\"\\s*:\\s*\"([^\"]+)\"", RegexOptions.CultureInvariant);

    public static Task<AutodiscoverResult> RunAsync(string emailAddress, MailboxLogin login, DnsQuerier dns, HttpSession http, TimeSpan timeout, CancellationToken stop)
    {
        var result = new AutodiscoverResult(emailAddress) { Expected = Texts.Messages["Expected_Autodiscover"] };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            LoginProof? proof = await login.ProveAsync(MailProtocol.Ews, null, result, deadline).ConfigureAwait(false);
            if (proof == null)
            {
                return;
            }

            var discovery = new Discovery(result, login.UserName, proof, dns, http, timeout, deadline);
            Uri? answeringHost = await discovery.RunAsync(emailAddress).ConfigureAwait(false);
            if (answeringHost != null)
            {
                await ProbeJsonAsync(result, http, answeringHost, emailAddress, deadline).ConfigureAwait(false);
            }
        });
    }

    /// <summary>The unauthenticated JSON endpoint (Autodiscover v2), reported beside the POX answer.</summary>
    private static async Task ProbeJsonAsync(AutodiscoverResult result, HttpSession http, Uri host, string emailAddress, CancellationToken cancellationToken)
    {
        var url = new Uri(host, $"/autodiscover/autodiscover.json/v1.0/{Uri.EscapeDataString(emailAddress)}?Protocol=EWS");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpExchange exchange = await http.SendAsync(request, result, cancellationToken).ConfigureAwait(false);
        string body = await exchange.ReadTextAsync().ConfigureAwait(false);
        Match match = JsonUrl.Match(body);
        if (exchange.StatusCode == 200 && match.Success)
        {
            result.JsonEwsUrl = match.Groups[1].Value;
            bool agrees = result.EwsUrl == null || string.Equals(result.EwsUrl, result.JsonEwsUrl, StringComparison.OrdinalIgnoreCase);
            result.AddStep("JSON v2", agrees ? CheckStatus.Passed : CheckStatus.Warning,
                agrees ? $"the JSON endpoint gives EWS at {result.JsonEwsUrl}" : $"the JSON endpoint gives EWS at {result.JsonEwsUrl}, the POX answer {result.EwsUrl}");
        }
        else
        {
            result.AddStep("JSON v2", CheckStatus.Warning, $"the JSON endpoint gave no EWS URL ({exchange.Detail})");
        }
    }

    private static string DomainOf(string address) => address.Substring(address.LastIndexOf('@') + 1);

    /// <summary>A server-supplied address, normalised, or null when it is not an e-mail address.</summary>
    private static string? ValidAddress(string? address)
    {
        int at = address?.LastIndexOf('@') ?? -1;
        string? domain = at > 0 ? DomainName.TryNormalize(address!.Substring(at + 1), out _) : null;
        return domain == null ? null : address!.Substring(0, at).Trim() + "@" + domain;
    }

    /// <summary>True when a response carries the marks of an Exchange front end.</summary>
    private static bool LooksLikeExchange(HttpResponseMessage response)
    {
        bool ExchangeHeader(string name) => response.Headers.Contains(name);
        bool windowsAuth = response.Headers.WwwAuthenticate.Any(a => a.Scheme.Equals("Negotiate", StringComparison.OrdinalIgnoreCase) || a.Scheme.Equals("NTLM", StringComparison.OrdinalIgnoreCase));
        return ExchangeHeader("X-FEServer") || ExchangeHeader("request-id") || ExchangeHeader("X-OWA-Version") || windowsAuth;
    }

    private static bool IsAutodiscoverUrl(Uri url)
        => url.Scheme == Uri.UriSchemeHttps && url.AbsolutePath.EndsWith(XmlPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>What to do about an Autodiscover error answer: 500 and 501 are about the address, the others about the service.</summary>
    internal static string ErrorRemediation(int? errorCode, string address) => errorCode switch
    {
        500 => Texts.Messages.Format("Autodiscover_UnknownAddress_Remediation", address),
        501 => Texts.Messages.Format("Autodiscover_NoSettings_Remediation", address),
        _ => Texts.Messages["Autodiscover_ErrorAnswer_Remediation"],
    };

    /// <summary>One run of discovery: what has been tried, and how many redirects are left.</summary>
    private sealed class Discovery
    {
        private readonly AutodiscoverResult _result;
        private readonly string _user;
        private readonly LoginProof _proof;
        private readonly DnsQuerier _dns;
        private readonly HttpSession _http;
        private readonly CancellationToken _cancellationToken;
        private readonly TimeSpan _timeout;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

        // The token of the method being tried: each method gets a share of the time left, so one
        // silent candidate (a firewalled domain root) cannot use up the whole discovery.
        private CancellationToken _attempt;
        private readonly HashSet<string> _addressesTried = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _urlsPosted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private Uri? _lastAnsweringHost;

        public Discovery(AutodiscoverResult result, string user, LoginProof proof, DnsQuerier dns, HttpSession http, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _timeout = timeout;
            _result = result;
            _user = user;
            _proof = proof;
            _dns = dns;
            _http = http;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Discovers the settings and concludes the result; returns a host that answered Autodiscover, if any.</summary>
        public async Task<Uri?> RunAsync(string address)
        {
            while (true)
            {
                if (!_addressesTried.Add(address))
                {
                    Conclude(CheckStatus.Failed, Texts.Messages.Format("Autodiscover_AddressLoop", address),
                        Texts.Messages["Autodiscover_AddressLoop_Remediation"]);
                    return _lastAnsweringHost;
                }

                Answer answer = await DiscoverAsync(address).ConfigureAwait(false);
                if (answer.Next == null)
                {
                    return answer.Host;
                }

                address = answer.Next;
            }
        }

        private async Task<Answer> DiscoverAsync(string address)
        {
            string domain = DomainOf(address);
            AutodiscoverMethod[] methods = { AutodiscoverMethod.DomainRoot, AutodiscoverMethod.AutodiscoverHost, AutodiscoverMethod.HttpRedirect, AutodiscoverMethod.SrvRecord };
            for (int i = 0; i < methods.Length; i++)
            {
                AutodiscoverMethod method = methods[i];
                TimeSpan left = _timeout - _clock.Elapsed;
                TimeSpan slice = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, left.Ticks / (methods.Length - i)));
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
                attempt.CancelAfter(slice);
                _attempt = attempt.Token;
                try
                {
                    Uri? url = method switch
                    {
                        AutodiscoverMethod.DomainRoot => new Uri($"https://{domain}{XmlPath}"),
                        AutodiscoverMethod.AutodiscoverHost => new Uri($"https://autodiscover.{domain}{XmlPath}"),
                        AutodiscoverMethod.HttpRedirect => await FollowHttpRedirectAsync(domain).ConfigureAwait(false),
                        _ => await FromSrvRecordAsync(domain).ConfigureAwait(false),
                    };
                    if (url == null)
                    {
                        continue;
                    }

                    _result.AddStep($"{method}", CheckStatus.Passed, $"trying {url} for {address}");
                    Answer? answer = await PostAsync(method, url, address).ConfigureAwait(false);
                    if (answer != null)
                    {
                        return answer;
                    }
                }
                catch (OperationCanceledException) when (!_cancellationToken.IsCancellationRequested)
                {
                    _result.AddStep($"{method}", CheckStatus.Error, $"no answer within {slice.TotalSeconds:0.#} s, this method's share of -TimeoutSeconds; next method");
                }
            }

            Conclude(CheckStatus.Failed, Texts.Messages.Format("Autodiscover_NothingFound", address, domain),
                Texts.Messages.Format("Autodiscover_NothingFound_Remediation", domain));
            return new Answer(null, _lastAnsweringHost);
        }

        /// <summary>Posts the request, following redirectUrl answers; null when this method gave nothing and the next should be tried.</summary>
        private async Task<Answer?> PostAsync(AutodiscoverMethod method, Uri url, string address)
        {
            if (!_urlsPosted.Add(url + " " + address))
            {
                // Two methods can lead to one URL (an HTTP redirect or an SRV record to autodiscover.<domain>).
                _result.AddStep($"{method}", CheckStatus.Failed, $"{url} was already tried for {address} by an earlier method");
                return null;
            }

            while (true)
            {

                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new StringContent(RequestBody(address), Encoding.UTF8, "text/xml"),
                };
                // Autodiscover starts at the domain's own hosts (its web site, perhaps), and a Bearer token is
                // good for anyone who holds it: it goes only to Exchange Online. A password never goes there.
                bool exchangeOnline = ExchangeOnline.IsHost(url.Host);
                if (!_proof.IsToken && exchangeOnline)
                {
                    ExchangeOnline.ConcludeBasicRetired(_result, url.Host, _user);
                    return new Answer(null, null);
                }

                bool sendsToken = _proof.IsToken && exchangeOnline;
                if (!_proof.IsToken || sendsToken)
                {
                    request.Headers.Authorization = _proof.HttpAuthorization;
                }

                if (sendsToken && _proof.AppOnly)
                {
                    // An app's token names no user: Exchange Online routes the request by the mailbox asked about.
                    request.Headers.TryAddWithoutValidation("X-AnchorMailbox", "SMTP:" + address);
                }

                using HttpExchange exchange = await _http.SendAsync(request, _result, _attempt).ConfigureAwait(false);
                if (exchange.Response == null)
                {
                    return null;
                }

                if (exchange.StatusCode == 401 && _proof.IsToken && !sendsToken)
                {
                    _result.AddStep("Answer", CheckStatus.Warning, $"{url.Host} asks for a login; the OAuth token goes only to Exchange Online's hosts, so not there; next method");
                    return null;
                }

                if (exchange.StatusCode == 401 && sendsToken)
                {
                    _result.AddStep("Token", CheckStatus.Failed, $"{url.Host} refused the access token; no other method is tried");
                    _result.Conclude(CheckStatus.Failed, DiagnosticCause.TokenRefused,
                        Texts.SignIn.Format("TokenRefused", url.Host, _user, exchange.Said),
                        Texts.SignIn["Fix_TokenRefused"]);
                    return new Answer(null, new Uri(url.GetLeftPart(UriPartial.Authority)));
                }

                if (exchange.StatusCode == 401 && !LooksLikeExchange(exchange.Response))
                {
                    // Often the company web site guarding its own pages: not the mailbox's login.
                    _result.AddStep("Answer", CheckStatus.Warning, $"{url.Host} asks for a login but does not answer like Exchange: not the mailbox's server; next method");
                    return null;
                }

                if (exchange.StatusCode == 401)
                {
                    _result.CredentialRefused = true;
                    _result.AddStep("Credentials", CheckStatus.Failed, $"{url.Host} refused the credentials; no other method is tried, so that discovery cannot lock the account");
                    _result.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed,
                        Texts.Messages.Format("Autodiscover_InvalidCredentials", url.Host, _user),
                        Advice.WrongPassword);
                    return new Answer(null, new Uri(url.GetLeftPart(UriPartial.Authority)));
                }

                if (exchange.StatusCode != 200)
                {
                    _result.AddStep("Answer", CheckStatus.Failed, $"HTTP {exchange.StatusCode}, not an Autodiscover answer");
                    return null;
                }

                AutodiscoverResponse response = AutodiscoverResponse.Parse(await exchange.ReadTextAsync().ConfigureAwait(false));
                if (response.Answer == AutodiscoverAnswer.Invalid)
                {
                    _result.AddStep("Answer", CheckStatus.Failed, response.Detail);
                    return null;
                }

                _lastAnsweringHost = new Uri(url.GetLeftPart(UriPartial.Authority));
                switch (response.Answer)
                {
                    case AutodiscoverAnswer.Settings:
                        _result.AddStep("Answer", CheckStatus.Passed, $"settings: EWS {response.EwsUrl ?? "(none)"}, OWA {response.OwaUrl ?? "(none)"}");
                        ConcludeSettings(method, url, response);
                        return new Answer(null, _lastAnsweringHost);
                    case AutodiscoverAnswer.RedirectAddr:
                        string? next = ValidAddress(response.RedirectAddr);
                        if (next == null)
                        {
                            return StopRedirects(Texts.Messages.Format("Autodiscover_RedirectAddrInvalid", response.RedirectAddr));
                        }

                        if (!TakeRedirect($"redirectAddr to {next}"))
                        {
                            return StopRedirects(Texts.Messages.Format("Autodiscover_TooManyRedirects", response.Said));
                        }

                        if (!string.Equals(DomainOf(next), DomainOf(address), StringComparison.OrdinalIgnoreCase))
                        {
                            _result.AddStep("Redirect", CheckStatus.Warning, $"redirected from {DomainOf(address)} to another domain, {DomainOf(next)}: discovery, and the credentials, go there");
                        }

                        return new Answer(next, _lastAnsweringHost);
                    case AutodiscoverAnswer.RedirectUrl:
                        if (!Uri.TryCreate(response.RedirectUrl, UriKind.Absolute, out Uri? nextUrl) || !IsAutodiscoverUrl(nextUrl))
                        {
                            _result.AddStep("Redirect", CheckStatus.Failed, $"redirectUrl to {response.RedirectUrl} is not an HTTPS Autodiscover URL: not followed, no credentials sent");
                            return StopRedirects(Texts.Messages.Format("Autodiscover_RedirectUrlInvalid", response.RedirectUrl));
                        }

                        if (!_urlsPosted.Add(nextUrl + " " + address))
                        {
                            Conclude(CheckStatus.Failed, Texts.Messages.Format("Autodiscover_UrlLoop", nextUrl), Texts.Messages["Autodiscover_UrlLoop_Remediation"]);
                            return new Answer(null, _lastAnsweringHost);
                        }

                        if (!TakeRedirect($"redirectUrl to {nextUrl}"))
                        {
                            return StopRedirects(Texts.Messages.Format("Autodiscover_TooManyRedirects", response.Said));
                        }

                        if (!string.Equals(nextUrl.Host, url.Host, StringComparison.OrdinalIgnoreCase))
                        {
                            _result.AddStep("Redirect", CheckStatus.Warning, $"following a redirect from {url.Host} to another host, {nextUrl.Host}: an HTTPS Autodiscover URL, so the credentials go there");
                        }

                        url = nextUrl;
                        continue;
                    default:
                        _result.AddStep("Answer", CheckStatus.Failed, response.Detail);
                        Conclude(CheckStatus.Failed, Texts.Messages.Format("Autodiscover_ErrorAnswer", url.Host, address, response.Said),
                            ErrorRemediation(response.ErrorCode, address));
                        return new Answer(null, _lastAnsweringHost);
                }
            }
        }

        private async Task<Uri?> FollowHttpRedirectAsync(string domain)
        {
            // No credentials on this request: it is plain HTTP, and only its redirect is wanted.
            var url = new Uri($"http://autodiscover.{domain}{XmlPath}");
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using HttpExchange exchange = await _http.SendAsync(request, _result, _attempt).ConfigureAwait(false);
            Uri? location = exchange.Response?.Headers.Location;
            if (exchange.StatusCode >= 300 && exchange.StatusCode < 400 && location != null)
            {
                var target = new Uri(url, location);
                if (IsAutodiscoverUrl(target))
                {
                    bool sameHost = string.Equals(target.Host, url.Host, StringComparison.OrdinalIgnoreCase);
                    _result.AddStep("HttpRedirect", sameHost ? CheckStatus.Passed : CheckStatus.Warning, sameHost
                        ? $"http://autodiscover.{domain} redirects to {target}, its own HTTPS address"
                        : $"http://autodiscover.{domain} redirects to {target}, an HTTPS Autodiscover URL on another host: the credentials go there");
                    return target;
                }

                _result.AddStep("HttpRedirect", CheckStatus.Failed, $"redirects to {target}, which is not an HTTPS Autodiscover URL: not followed");
            }

            return null;
        }

        private async Task<Uri?> FromSrvRecordAsync(string domain)
        {
            string name = "_autodiscover._tcp." + domain;
            DnsLookup lookup = await _dns.QueryAsync(name, QueryType.SRV, _attempt).ConfigureAwait(false);
            SrvRecord? best = lookup.Answers.OfType<SrvRecord>().OrderBy(r => r.Priority).ThenByDescending(r => r.Weight).FirstOrDefault();
            if (best == null || best.Target.Value == ".")
            {
                _result.AddStep("SrvRecord", lookup.IsUnavailable ? CheckStatus.Error : CheckStatus.Failed, $"no usable SRV record: {lookup}");
                return null;
            }

            string target = DomainName.Canonical(best.Target.Value);
            _result.AddStep("SrvRecord", CheckStatus.Passed, $"{name} points to {target} port {best.Port}");
            return new Uri(best.Port == 443 ? $"https://{target}{XmlPath}" : $"https://{target}:{best.Port}{XmlPath}");
        }

        private bool TakeRedirect(string what)
        {
            _result.Redirects++;
            bool allowed = _result.Redirects <= MaxRedirects;
            _result.AddStep("Redirect", allowed ? CheckStatus.Passed : CheckStatus.Failed, allowed ? $"{what} ({_result.Redirects} of at most {MaxRedirects})" : $"{what}: more than {MaxRedirects} redirects");
            return allowed;
        }

        /// <param name="message">The whole sentence, in the UI culture.</param>
        private Answer StopRedirects(string message)
        {
            Conclude(CheckStatus.Failed, message, Texts.Messages["Autodiscover_Redirects_Remediation"]);
            return new Answer(null, _lastAnsweringHost);
        }

        private void ConcludeSettings(AutodiscoverMethod method, Uri url, AutodiscoverResponse response)
        {
            _result.Method = method;
            _result.Url = url.ToString();
            _result.EwsUrl = response.EwsUrl;
            _result.OwaUrl = response.OwaUrl;
            _result.Server = response.Server;
            _result.Observed = $"{method}: EWS {response.EwsUrl}";
            if (response.EwsUrl == null)
            {
                Conclude(CheckStatus.Failed, Texts.Messages.Format("Autodiscover_NoEwsUrl", url.Host), Texts.Messages["Autodiscover_NoEwsUrl_Remediation"]);
                return;
            }

            _result.Conclude(CheckStatus.Passed, DiagnosticCause.None, Texts.Messages.Format("Autodiscover_Passed", _result.EmailAddress, method, url.Host, response.EwsUrl), null);
        }

        private void Conclude(CheckStatus status, string message, string remediation)
            => _result.Conclude(status, DiagnosticCause.AutodiscoverFailed, message, remediation);

        private static string RequestBody(string address)
            => $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"{RequestSchema}\"><Request><EMailAddress>{SecurityElement.Escape(address)}</EMailAddress><AcceptableResponseSchema>{ResponseSchema}</AcceptableResponseSchema></Request></Autodiscover>";
    }

    /// <summary>Where discovery goes next: another address (redirectAddr), or nowhere (the result is concluded).</summary>
    private sealed class Answer
    {
        public Answer(string? next, Uri? host)
        {
            Next = next;
            Host = host;
        }

        public string? Next { get; }

        public Uri? Host { get; }
    }
}
