using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace ExchangeDiag.Ovh;

/// <summary>
/// A small client of the OVHcloud API over HttpClient: signs every call as the notes say, takes
/// the server's clock from GET /auth/time once, retries 429 and 5xx a bounded number of times,
/// and bounds every call by <see cref="Timeout"/>. Failures are <see cref="OvhApiException"/>s
/// naming the call; no secret, signature or request body ever reaches a message or the log.
/// </summary>
public sealed partial class OvhClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly OvhRetryPolicy _retry;
    private readonly SemaphoreSlim _timeLock = new SemaphoreSlim(1, 1);
    private long? _timeDelta;

    public OvhClient(OvhCredentials credentials)
        : this(credentials, new OvhRetryPolicy(), null)
    {
    }

    internal OvhClient(OvhCredentials credentials, OvhRetryPolicy retry, HttpMessageHandler? handler)
    {
        Credentials = credentials;
        Secrets.Add(OvhCredentials.Reveal(credentials.ApplicationSecret), OvhCredentials.Reveal(credentials.ConsumerKey));
        _retry = retry;
        _http = new HttpClient(handler ?? NewHandler()) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    public OvhCredentials Credentials { get; }

    /// <summary>The application secret and consumer key, to cut them out of any text an answer echoes them in.</summary>
    public SecretRedactor Secrets { get; } = new SecretRedactor();

    /// <summary>The longest one call may take, retries and their waits included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives one line per HTTP request (method, URL, status, time); never headers or bodies.</summary>
    public Action<string>? Log { get; set; }

    /// <summary>How far the server's clock is ahead of ours, in seconds, once it has been asked.</summary>
    public long? TimeDelta => _timeDelta;

    public override string ToString() => $"OvhClient {Credentials}";

    public void Dispose()
    {
        _http.Dispose();
        _timeLock.Dispose();
    }

    /// <summary>GET a path such as "/email/exchange"; the answer's JSON, or null for an empty answer.</summary>
    internal Task<XElement?> GetAsync(string path, CancellationToken cancellationToken)
        => CallAsync(HttpMethod.Get, path, null, cancellationToken);

    internal Task<XElement?> PostAsync(string path, string body, CancellationToken cancellationToken)
        => CallAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>One signed call, retried on 429 and 5xx, bounded by <see cref="Timeout"/>.</summary>
    internal async Task<XElement?> CallAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        string call = $"{method.Method} {path}";
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            long delta = await GetTimeDeltaAsync(clock, deadline.Token).ConfigureAwait(false);
            Answer answer = await SendWithRetryAsync(call, () => NewSignedRequest(method, path, body, delta), clock, deadline.Token).ConfigureAwait(false);
            deadline.Token.ThrowIfCancellationRequested();
            return ParseAnswer(call, answer.Text, answer.QueryId);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OvhApiException(call, OvhFailure.TimedOut, 0, null, null, new Phrase(Texts.Ovh, "Api_TimedOut", Timeout.TotalSeconds), ex);
        }
        catch (OvhApiException ex)
        {
            // The API's own message may repeat what was sent, such as the consumer key it refuses.
            throw ex.Redacted(Secrets);
        }
    }

    /// <summary>The delta to the server's clock, from the unauthenticated GET /auth/time, asked once per client.</summary>
    private async Task<long> GetTimeDeltaAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        if (_timeDelta is long known)
        {
            return known;
        }

        await _timeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_timeDelta is long raced)
            {
                return raced;
            }

            const string call = "GET /auth/time";
            Answer answer = await SendWithRetryAsync(call, () => new HttpRequestMessage(HttpMethod.Get, Url("/auth/time")), clock, cancellationToken).ConfigureAwait(false);
            if (!long.TryParse(answer.Text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long serverTime))
            {
                throw new OvhApiException(call, OvhFailure.BadAnswer, 200, null, answer.QueryId, new Phrase(Texts.Ovh, "Api_NotUnixTime"));
            }

            _timeDelta = serverTime - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return _timeDelta.Value;
        }
        finally
        {
            _timeLock.Release();
        }
    }

    /// <summary>Sends a request (made anew for each attempt: a signature holds its timestamp) until it succeeds, or fails for good.</summary>
    private async Task<Answer> SendWithRetryAsync(string call, Func<HttpRequestMessage> newRequest, Stopwatch clock, CancellationToken cancellationToken)
    {
        for (int retry = 0; ; retry++)
        {
            using HttpRequestMessage request = newRequest();
            string method = request.Method.Method;
            using HttpResponseMessage response = await SendAsync(request, call, cancellationToken).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            string text;
            try
            {
                text = Encoding.UTF8.GetString(await Http.HttpExchange.ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false));
            }
            catch (Checks.AnswerTooLongException ex)
            {
                throw new OvhApiException(call, OvhFailure.BadAnswer, status, null, QueryId(response), new Phrase(Texts.Ovh, "Api_TooLong", ex.Said));
            }

            if (status >= 200 && status < 300)
            {
                return new Answer(text, QueryId(response));
            }

            if (OvhRetryPolicy.IsRetryable(method, status))
            {
                TimeSpan? wait = _retry.DelayBefore(retry + 1, RetryAfter(response), Timeout - clock.Elapsed);
                if (wait != null)
                {
                    Log?.Invoke($"OVHcloud API {call}: {status}, trying again in {wait.Value.TotalSeconds:0.#} s (retry {retry + 1} of {_retry.MaxRetries}).");
                    await Task.Delay(wait.Value, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            throw Failure(call, status, text, QueryId(response), retry);
        }
    }

    private HttpRequestMessage NewSignedRequest(HttpMethod method, string path, string? body, long delta)
    {
        Uri url = Url(path);
        long timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + delta;
        string consumerKey = OvhCredentials.Reveal(Credentials.ConsumerKey);
        string signature = OvhSignature.Compute(OvhCredentials.Reveal(Credentials.ApplicationSecret), consumerKey, method.Method, url.AbsoluteUri, body ?? string.Empty, timestamp);
        var request = new HttpRequestMessage(method, url);
        request.Headers.Add("X-Ovh-Application", Credentials.ApplicationKey);
        request.Headers.Add("X-Ovh-Consumer", consumerKey);
        request.Headers.Add("X-Ovh-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Ovh-Signature", signature);
        if (body != null)
        {
            request.Content = new StringContent(body, new UTF8Encoding(false), "application/json");
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string call, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            Log?.Invoke($"OVHcloud API {request.Method} {request.RequestUri}: {(int)response.StatusCode} {response.ReasonPhrase} ({clock.ElapsedMilliseconds} ms)");
            return response;
        }
        catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Exception root = ex;
            while (root.InnerException != null)
            {
                root = root.InnerException;
            }

            Log?.Invoke($"OVHcloud API {request.Method} {request.RequestUri}: no answer ({root.Message})");
            throw new OvhApiException(call, OvhFailure.Unreachable, 0, null, null, new Phrase(Texts.Ovh, "Api_NoAnswer", Credentials.Endpoint.Host, root.Message), ex);
        }
    }

    private Uri Url(string path) => new Uri(Credentials.Endpoint.AbsoluteUri.TrimEnd('/') + path);

    private static XElement? ParseAnswer(string call, string text, string? queryId)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            XElement answer = OvhJson.Parse(text);
            return answer.IsNull() ? null : answer;
        }
        catch (XmlException ex)
        {
            throw new OvhApiException(call, OvhFailure.BadAnswer, 200, null, queryId, new Phrase(Texts.Ovh, "Api_NotJson"), ex);
        }
    }

    /// <summary>The error for a refused call, from the API's {errorCode, httpCode, message} body.</summary>
    private static OvhApiException Failure(string call, int status, string text, string? queryId, int retries)
    {
        string? errorCode = null;
        string? apiMessage = null;
        try
        {
            XElement error = OvhJson.Parse(text);
            errorCode = error.String("errorCode");
            apiMessage = error.String("message");
        }
        catch (XmlException)
        {
            // Not the API's JSON (a proxy's page, say): the status alone tells what happened.
        }

        string said = apiMessage == null ? $"HTTP {status}" : $"HTTP {status} {errorCode ?? string.Empty} \"{FirstLine(apiMessage)}\"".Replace("  ", " ");

        if (status == 403 || ReadsAsKeysOrClock(errorCode, apiMessage))
        {
            return new OvhApiException(call, OvhFailure.CredentialsRefused, status, errorCode, queryId,
                new Phrase(Texts.Ovh, "Api_CredentialsRefused", said));
        }

        int attempts = retries + 1;
        (OvhFailure failure, Phrase advice) = status switch
        {
            404 => (OvhFailure.NotFound, new Phrase(Texts.Ovh, "Api_NotFound")),
            429 => (OvhFailure.RateLimited, retries == 0 ? new Phrase(Texts.Ovh, "Api_RateLimited") : new Phrase(Texts.Ovh, "Api_RateLimitedAfter", attempts)),
            _ when status >= 500 => (OvhFailure.ServerError, retries == 0 ? new Phrase(Texts.Ovh, "Api_ServerError") : new Phrase(Texts.Ovh, "Api_ServerErrorAfter", attempts)),
            _ => (OvhFailure.Refused, new Phrase(Texts.Ovh, "Api_Refused")),
        };
        return new OvhApiException(call, failure, status, errorCode, queryId, new Phrase(Texts.Ovh, "Api_WithSaid", advice, said));
    }

    /// <summary>
    /// A bad signature is a 400 whose recent bodies carry only {"class":"Client::BadRequest","message":"Invalid signature"},
    /// older ones errorCode INVALID_SIGNATURE; the status of QUERY_TIME_OUT is not documented, so the code or the message decides.
    /// </summary>
    private static bool ReadsAsKeysOrClock(string? errorCode, string? apiMessage)
        => errorCode is "INVALID_SIGNATURE" or "QUERY_TIME_OUT" or "INVALID_KEY" or "INVALID_CREDENTIAL"
        || (errorCode == null && apiMessage != null && Regex.IsMatch(apiMessage, @"^\s*(invalid\s+signature|query\s+out\s+of\s+time)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));

    private static string FirstLine(string text)
    {
        string line = text.Split('\n')[0].Trim();
        return line.Length > 200 ? line.Substring(0, 200) : line;
    }

    private static string? QueryId(HttpResponseMessage response)
        => response.Headers.TryGetValues("X-Ovh-QueryId", out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        return header?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : (TimeSpan?)null;
    }

    private static HttpMessageHandler NewHandler()
    {
#if NET
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
#else
        return new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // Windows PowerShell may not offer TLS 1.2 by default; the API requires it.
            SslProtocols = System.Security.Authentication.SslProtocols.Tls12,
        };
#endif
    }

    private sealed class Answer
    {
        public Answer(string text, string? queryId)
        {
            Text = text;
            QueryId = queryId;
        }

        public string Text { get; }

        public string? QueryId { get; }
    }
}
