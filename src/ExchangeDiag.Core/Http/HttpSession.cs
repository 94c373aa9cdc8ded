using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Http;

/// <summary>Why an HTTP exchange produced no response.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum HttpFailure
{
    None,
    NameNotResolved,
    ConnectFailed,
    CertificateRejected,
    ProtocolError,
}

/// <summary>One HTTP request and what came of it.</summary>
public sealed class HttpExchange : IDisposable
{
    /// <summary>The most of a body we read: the largest Autodiscover or EWS answer we expect is a few KiB.</summary>
    public const int MaxBodyLength = 1024 * 1024;

    private readonly CancellationToken _cancellationToken;

    internal HttpExchange(HttpResponseMessage? response, HttpFailure failure, string detail, CertificateInfo? certificate, CancellationToken cancellationToken = default, bool nameUnknown = false)
        : this(response, failure, Phrase.Fixed(detail), certificate, cancellationToken, nameUnknown)
    {
    }

    /// <param name="said">What came of the request, in any language: a status line is the server's own words, the same in all.</param>
    internal HttpExchange(HttpResponseMessage? response, HttpFailure failure, Phrase said, CertificateInfo? certificate, CancellationToken cancellationToken = default, bool nameUnknown = false)
    {
        Said = said;
        string detail = said.Trace;
        _cancellationToken = cancellationToken;
        NameUnknown = nameUnknown;
        Response = response;
        Failure = failure;
        Detail = detail;
        Certificate = certificate;
    }

    public HttpResponseMessage? Response { get; }

    public HttpFailure Failure { get; }

    /// <summary>
    /// With <see cref="HttpFailure.NameNotResolved"/>: DNS could not say (SERVFAIL, timeout), as
    /// opposed to a name that does not exist. Always false on .NET Framework (the system resolves).
    /// </summary>
    public bool NameUnknown { get; }

    /// <summary>The status line, or why there is no response, in English: the step's trace.</summary>
    public string Detail { get; }

    /// <summary>The status line, or why there is no response, for a message in the reader's language.</summary>
    internal Phrase Said { get; }

    /// <summary>The server's certificate for an HTTPS request, when the handshake got that far.</summary>
    public CertificateInfo? Certificate { get; }

    public int StatusCode => Response == null ? 0 : (int)Response.StatusCode;

    /// <summary>
    /// The body as text, read as UTF-8 whatever charset the server claims (a bogus one must not throw),
    /// under the request's deadline. A body over <paramref name="maxLength"/> bytes (at most
    /// <see cref="MaxBodyLength"/>) throws AnswerTooLongException.
    /// </summary>
    public async Task<string> ReadTextAsync(int maxLength = MaxBodyLength)
    {
        if (Response == null)
        {
            return string.Empty;
        }

        byte[] body = await ReadBoundedAsync(Response.Content, _cancellationToken, Math.Min(maxLength, MaxBodyLength)).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(body);
    }

    /// <summary>Reads a body of at most <paramref name="maxLength"/> bytes; a declared or actual length over it throws.</summary>
    internal static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken, int maxLength = MaxBodyLength)
    {
        if (content.Headers.ContentLength > maxLength)
        {
            throw TooLong(maxLength);
        }

#if NET
        using System.IO.Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
#else
        using System.IO.Stream stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
#endif
        using var body = new System.IO.MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > maxLength)
            {
                throw TooLong(maxLength);
            }

            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    private static AnswerTooLongException TooLong(int maxLength) => new AnswerTooLongException(
        maxLength % (1024 * 1024) == 0 ? new Phrase(Texts.Messages, "TooLong_MiB", maxLength / (1024 * 1024)) : new Phrase(Texts.Messages, "TooLong_KiB", maxLength / 1024));

    public void Dispose() => Response?.Dispose();
}

/// <summary>
/// The HTTP client of one check: names resolve through the check's DNS servers, every
/// connection, certificate and response becomes a step of the result, redirects and cookies are
/// left to the check (they are part of what it diagnoses), and certificates are validated
/// strictly unless -SkipCertificateCheck, which still records the problem as a Warning step.
/// </summary>
public sealed class HttpSession : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpMessageHandler _handler;
#if NET
    private readonly DnsQuerier _dns;
#endif
    private readonly TlsPolicy _tls;
    private readonly Action<string> _log;
    private readonly ConcurrentQueue<CheckStep> _steps;

    /// <param name="useSystemProxy">
    /// Go through the system's proxy (HTTPS_PROXY, the OS settings): for the identity provider, which a
    /// company network may only let out that way. The checks go direct: they diagnose the path itself.
    /// </param>
    public HttpSession(DnsQuerier dns, bool skipCertificateCheck, Action<string> log, bool useSystemProxy = false)
    {
#if NET
        _dns = dns;
#endif
        _tls = new TlsPolicy(skipCertificateCheck);
        _steps = _tls.Steps;
        _log = log;
#if NET
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = useSystemProxy,
            ConnectCallback = ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        handler.SslOptions.CertificateRevocationCheckMode = X509RevocationMode.Online;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors)
            => _tls.Validate(((SslStream)sender).TargetHostName, certificate, chain, errors);
#else
        // .NET Framework cannot route connections through our resolver: names resolve with the system's.
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = useSystemProxy,
            CheckCertificateRevocationList = true,
            // Windows PowerShell may not offer TLS 1.2 by default; every Exchange server wants it.
            SslProtocols = System.Security.Authentication.SslProtocols.Tls12,
            ServerCertificateCustomValidationCallback = (request, certificate, chain, errors)
                => _tls.Validate(request.RequestUri!.Host, certificate, chain, errors),
        };
#endif
        _handler = handler;
        _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// A client for a library that sends its own requests (MSAL), each bounded by <paramref name="timeout"/>:
    /// names still resolve with the run's DNS servers and certificates are still validated, but no step
    /// is recorded. It shares this session's connections and lives no longer than the session.
    /// </summary>
    internal HttpClient ClientFor(TimeSpan timeout) => new HttpClient(_handler, disposeHandler: false) { Timeout = timeout };

    /// <summary>Sends a request and records what happened as steps of <paramref name="result"/>. Throws only when cancelled.</summary>
    public async Task<HttpExchange> SendAsync(HttpRequestMessage request, CheckResult result, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string what = $"{request.Method} {request.RequestUri}";
        HttpExchange exchange;
        try
        {
            // Headers only: the body is read by ReadTextAsync, bounded, and only by the checks that need it.
            HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            string location = response.Headers.Location == null ? string.Empty : $" -> {response.Headers.Location.OriginalString}";
            exchange = new HttpExchange(response, HttpFailure.None, $"{(int)response.StatusCode} {response.ReasonPhrase}{location}", CertificateFor(request), cancellationToken);
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            exchange = Classify(ex, request);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The deadline passed mid-request: keep how far it got (name resolved, connected, TLS) in the trace.
            _tls.MoveStepsTo(result);
            result.AddStep($"HTTP {what}", CheckStatus.Error, "no answer before the deadline", clock.Elapsed);
            throw;
        }

        _tls.MoveStepsTo(result);

        CheckStatus status = exchange.Failure == HttpFailure.None ? CheckStatus.Passed : exchange.Failure == HttpFailure.CertificateRejected ? CheckStatus.Failed : CheckStatus.Error;
        result.AddStep($"HTTP {what}", status, exchange.Detail, clock.Elapsed);
        _log($"HTTP {what}: {exchange.Detail} ({clock.ElapsedMilliseconds} ms)");
        return exchange;
    }

    public void Dispose() => _client.Dispose();

    private HttpExchange Classify(HttpRequestException ex, HttpRequestMessage request)
    {
        if (ex.InnerException is ConnectException connect)
        {
            return new HttpExchange(null, connect.Failure, connect.Said, null, nameUnknown: connect.NameUnknown);
        }

#if !NET
        // .NET Framework has no connect hook: what ConnectException says on .NET 8 comes as a
        // WebException status. A name that did not resolve cannot be told from DNS not answering there.
        if (FindInner<System.Net.WebException>(ex) is System.Net.WebException web)
        {
            switch (web.Status)
            {
                case System.Net.WebExceptionStatus.NameResolutionFailure:
                    return new HttpExchange(null, HttpFailure.NameNotResolved, new Phrase(Texts.Messages, "Http_NotResolved", request.RequestUri?.Host, web.Message), null, nameUnknown: true);
                case System.Net.WebExceptionStatus.ConnectFailure:
                case System.Net.WebExceptionStatus.Timeout:
                    return new HttpExchange(null, HttpFailure.ConnectFailed, new Phrase(Texts.Messages, "Http_ConnectFailed", request.RequestUri?.Host, request.RequestUri?.Port, web.Status), null);
            }
        }

#endif
        CertificateInfo? certificate = CertificateFor(request);
        if (FindInner<AuthenticationException>(ex) != null && certificate != null && certificate.Problem() != null)
        {
            return new HttpExchange(null, HttpFailure.CertificateRejected, new Phrase(culture => Texts.Messages.Format(culture, "Http_CertificateRejected", certificate.Problem(culture))), certificate);
        }

        Exception root = ex;
        while (root.InnerException != null)
        {
            root = root.InnerException;
        }

        return new HttpExchange(null, HttpFailure.ProtocolError, new Phrase(Texts.Messages, "Http_NoAnswer", root.Message), certificate);
    }

    private CertificateInfo? CertificateFor(HttpRequestMessage request)
        => request.RequestUri != null && _tls.Certificates.TryGetValue(request.RequestUri.Host, out CertificateInfo? info) ? info : null;

    private static T? FindInner<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e != null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

#if NET
    private async ValueTask<System.IO.Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        string host = context.DnsEndPoint.Host;
        int port = context.DnsEndPoint.Port;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            addresses = new[] { literal };
        }
        else
        {
            HostResolution resolution = await _dns.ResolveConnectTargetAsync(host, cancellationToken).ConfigureAwait(false);
            if (!resolution.Resolves)
            {
                _steps.Enqueue(new CheckStep($"DNS {host}", resolution.IsUnknown ? CheckStatus.Error : CheckStatus.Failed, resolution.Detail, TimeSpan.Zero));
                throw new ConnectException(HttpFailure.NameNotResolved, new Phrase(culture => $"{host} {resolution.Failure(culture)}"), resolution.IsUnknown);
            }

            _steps.Enqueue(new CheckStep($"DNS {host}", CheckStatus.Passed, resolution.Detail, TimeSpan.Zero));
            addresses = resolution.Addresses.Select(IPAddress.Parse).ToArray();
        }

        string lastError = "no address to connect to";
        foreach (IPAddress address in addresses)
        {
            var clock = Stopwatch.StartNew();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                _steps.Enqueue(new CheckStep($"TCP {host}:{port}", CheckStatus.Passed, $"connected to {address} in {clock.ElapsedMilliseconds} ms", clock.Elapsed));
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = $"{address}: {ex.SocketErrorCode}";
                _steps.Enqueue(new CheckStep($"TCP {host}:{port}", CheckStatus.Error, $"could not connect to {address}: {ex.SocketErrorCode}", clock.Elapsed));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new ConnectException(HttpFailure.ConnectFailed, new Phrase(Texts.Messages, "Http_ConnectFailed", host, port, lastError));
    }
#endif

    /// <summary>Carries why a connection could not be made out of the handler, to classify it.</summary>
    private sealed class ConnectException : Exception
    {
        public ConnectException(HttpFailure failure, Phrase said, bool nameUnknown = false)
            : base(said.Trace)
        {
            Said = said;
            Failure = failure;
            NameUnknown = nameUnknown;
        }

        public HttpFailure Failure { get; }

        public Phrase Said { get; }

        public bool NameUnknown { get; }
    }
}
