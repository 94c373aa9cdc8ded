using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace ExchangeEmulator;

/// <summary>
/// The OVHcloud API endpoints ExchangeDiag uses (PROTOCOL-NOTES 1), under /1.0: every call but
/// GET /auth/time must carry the lab's application key and consumer key and a signature computed
/// exactly as the notes say over the URL as sent (raw target, query included) and the raw body.
/// </summary>
public sealed partial class OvhApi(OvhApiSpec spec)
{
    private const string Prefix = "/1.0";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly OvhApiState state = CreateState(spec);

    public string Host => spec.Host;

    private static OvhApiState CreateState(OvhApiSpec spec)
    {
        var created = new OvhApiState(spec);
        created.Reset();
        return created;
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        context.Response.Headers["X-Ovh-QueryId"] = "EU.lab." + Guid.NewGuid().ToString("N")[..12];
        string path = request.Path.Value ?? "/";
        if (!path.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            await NotFoundAsync(context, path);
            return;
        }

        path = path[Prefix.Length..].TrimEnd('/');
        string body = await Http.ReadBodyAsync(request);
        if (Fault(context) is (int status, object error))
        {
            await Http.JsonAsync(context, status, error, Json);
            return;
        }

        if (HttpMethods.IsGet(request.Method) && path == "/auth/time")
        {
            long offset;
            lock (state.Gate)
            {
                offset = state.ClockOffsetSeconds;
            }

            await Http.JsonAsync(context, 200, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offset, Json);
            return;
        }

        if (Authenticate(context, body) is (int refusal, object why))
        {
            await Http.JsonAsync(context, refusal, why, Json);
            return;
        }

        await RouteAsync(context, request.Method, path, body);
    }

    /// <summary>Counts the call, then plays an outage or a rate limit the tests asked for.</summary>
    private (int, object)? Fault(HttpContext context)
    {
        string call = $"{context.Request.Method} {context.Request.Path.Value?[Prefix.Length..]}";
        lock (state.Gate)
        {
            state.Calls[call] = state.Calls.GetValueOrDefault(call) + 1;
            if (state.OutageCalls != 0)
            {
                if (state.OutageCalls > 0)
                {
                    state.OutageCalls--;
                }

                int status = state.OutageStatus;
                return (status, Error("INTERNAL_SERVER_ERROR", status, "Internal server error"));
            }

            if (state.RateLimitedCalls > 0)
            {
                state.RateLimitedCalls--;
                if (state.RetryAfterSeconds > 0)
                {
                    context.Response.Headers.RetryAfter = state.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                }

                return (429, Error("TOO_MANY_REQUESTS", 429, "Too many requests"));
            }
        }

        return null;
    }

    /// <summary>The checks of the real API, in its order: application, consumer, time, then the signature.</summary>
    private (int, object)? Authenticate(HttpContext context, string body)
    {
        IHeaderDictionary headers = context.Request.Headers;
        string application = headers["X-Ovh-Application"].ToString();
        string consumer = headers["X-Ovh-Consumer"].ToString();
        string timestampText = headers["X-Ovh-Timestamp"].ToString();
        string signature = headers["X-Ovh-Signature"].ToString();
        if (application != spec.ApplicationKey)
        {
            return (403, Error("INVALID_KEY", 403, "Invalid application key"));
        }

        if (consumer != spec.ConsumerKey)
        {
            return (403, Error("INVALID_CREDENTIAL", 403, "This credential does not exist"));
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp)
            || Math.Abs(timestamp - DateTimeOffset.UtcNow.ToUnixTimeSeconds()) > spec.MaxClockSkewSeconds)
        {
            return (403, Error("QUERY_TIME_OUT", 403, "Query out of time"));
        }

        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        string url = $"{context.Request.Scheme}://{context.Request.Host}{target}";
        string expected = Sign(spec.ApplicationSecret, consumer, context.Request.Method, url, body, timestampText);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            // A bad signature is a 400, and recent bodies carry no errorCode (PROTOCOL-NOTES, Real replies).
            return (400, new Dictionary<string, string> { ["class"] = "Client::BadRequest", ["message"] = "Invalid signature" });
        }

        return null;
    }

    internal static string Sign(string secret, string consumerKey, string method, string url, string body, string timestamp)
    {
        byte[] hash = SHA1.HashData(Encoding.UTF8.GetBytes($"{secret}+{consumerKey}+{method}+{url}+{body}+{timestamp}"));
        return "$1$" + Convert.ToHexStringLower(hash);
    }

    private static object Error(string code, int status, string message)
        => new Dictionary<string, string>
        {
            ["errorCode"] = code,
            ["httpCode"] = $"{status} {ReasonPhrases.GetReasonPhrase(status)}",
            ["message"] = message,
        };

    private static Task NotFoundAsync(HttpContext context, string what)
        => Http.JsonAsync(context, 404, new Dictionary<string, string> { ["class"] = "Client::NotFound", ["message"] = $"The requested object ({what}) does not exist" }, Json);

    private static Task BadRequestAsync(HttpContext context, string message)
        => Http.JsonAsync(context, 400, new Dictionary<string, string> { ["class"] = "Client::BadRequest", ["message"] = message }, Json);
}
