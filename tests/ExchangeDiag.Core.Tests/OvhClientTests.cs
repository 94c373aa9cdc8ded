using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Ovh;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>The client's signing, clock, retries and errors against a scripted API in memory.</summary>
public class OvhClientTests
{
    private const string Secret = "EgWIz07P0HYwtQDs7cNIgzLaHKM2Bk0E";
    private const string Consumer = "MtSwSrPpNjqfVSmJhLbPyr2i45lSwPU1";
    private static readonly Uri Endpoint = new Uri("https://api.example/1.0");

    [Fact]
    public async Task SignsEachCallWithTheServerClockAskedOnce()
    {
        long serverTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1000;
        var api = new ScriptedApi(request => request.RequestUri!.AbsolutePath == "/1.0/auth/time" ? Answer(200, serverTime.ToString()) : Answer(200, "[\"hosted-1\"]"));
        using OvhClient client = NewClient(api);

        await client.GetAsync("/email/exchange", CancellationToken.None);
        await client.GetAsync("/email/exchange", CancellationToken.None);

        Assert.Equal(new[] { "GET /1.0/auth/time", "GET /1.0/email/exchange", "GET /1.0/email/exchange" }, api.Calls);
        Assert.InRange(client.TimeDelta!.Value, 998, 1002);
        Recorded signed = api.Requests[1];
        Assert.False(api.Requests[0].Headers.ContainsKey("X-Ovh-Signature"));
        Assert.Equal("app-key", signed.Headers["X-Ovh-Application"]);
        Assert.Equal(Consumer, signed.Headers["X-Ovh-Consumer"]);
        long timestamp = long.Parse(signed.Headers["X-Ovh-Timestamp"]);
        Assert.InRange(timestamp, serverTime - 2, serverTime + 2);
        Assert.Equal(OvhSignature.Compute(Secret, Consumer, "GET", "https://api.example/1.0/email/exchange", "", timestamp), signed.Headers["X-Ovh-Signature"]);
    }

    [Fact]
    public async Task CreatesATicketForTheExchangeProduct()
    {
        var api = ClockedApi(() => Answer(200, "{\"ticketId\":4000001,\"ticketNumber\":9123456,\"messageId\":4000002}"));
        using OvhClient client = NewClient(api);

        OvhTicket ticket = await client.CreateTicketAsync(new OvhTicketRequest("Mailbox cannot send", "## Report\nline two") { Category = "incident", ServiceName = "hosted-1" }, CancellationToken.None);

        Assert.Equal(4000001, ticket.TicketId);
        Assert.Equal(9123456, ticket.TicketNumber);
        Recorded post = api.Requests[1];
        Assert.Equal("POST /1.0/support/tickets/create", api.Calls[1]);
        Assert.Equal("{\"subject\":\"Mailbox cannot send\",\"body\":\"## Report\\nline two\",\"product\":\"exchange\",\"category\":\"incident\",\"serviceName\":\"hosted-1\"}", post.Body);
        Assert.Equal(OvhSignature.Compute(Secret, Consumer, "POST", "https://api.example/1.0/support/tickets/create", post.Body, long.Parse(post.Headers["X-Ovh-Timestamp"])), post.Headers["X-Ovh-Signature"]);
    }

    [Fact]
    public async Task RetriesRateLimitsThenSucceeds()
    {
        int limited = 2;
        var api = new ScriptedApi(request => limited-- > 0 ? Answer(429, "{\"message\":\"Too many requests\"}") : Answer(200, "1732780800"));
        using OvhClient client = NewClient(api);

        await client.GetAsync("/email/exchange", CancellationToken.None);

        Assert.Equal(4, api.Calls.Count);
        Assert.Equal(3, api.Calls.Count(c => c == "GET /1.0/auth/time"));
    }

    [Fact]
    public async Task GivesUpOnAnOutageAfterThreeRetriesNamingTheCall()
    {
        var api = ClockedApi(() => Answer(503, "{\"errorCode\":\"INTERNAL_SERVER_ERROR\",\"httpCode\":\"503 Service Unavailable\",\"message\":\"Internal server error\"}"));
        using OvhClient client = NewClient(api);

        var ex = await Assert.ThrowsAsync<OvhApiException>(() => client.GetAsync("/email/exchange/hosted-1/service", CancellationToken.None));

        Assert.Equal(OvhFailure.ServerError, ex.Failure);
        Assert.Equal(503, ex.StatusCode);
        Assert.StartsWith("GET /email/exchange/hosted-1/service: ", ex.Message);
        Assert.Contains("after 4 attempts", ex.Message);
        Assert.Equal(4, api.Calls.Count(c => c.StartsWith("GET /1.0/email", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(403, "INVALID_SIGNATURE")]
    [InlineData(403, "INVALID_CREDENTIAL")]
    [InlineData(400, "INVALID_SIGNATURE")]
    public async Task ExplainsRefusedCredentialsWithoutSecrets(int status, string code)
    {
        var api = ClockedApi(() => Answer(status, $"{{\"errorCode\":\"{code}\",\"httpCode\":\"{status}\",\"message\":\"refused\"}}", queryId: "EU.ext-1.abc"));
        using OvhClient client = NewClient(api);

        var ex = await Assert.ThrowsAsync<OvhApiException>(() => client.GetAsync("/email/exchange", CancellationToken.None));

        Assert.Equal(OvhFailure.CredentialsRefused, ex.Failure);
        Assert.Equal(code, ex.ErrorCode);
        Assert.StartsWith("GET /email/exchange: ", ex.Message);
        Assert.Contains("EU.ext-1.abc", ex.Message);
        Assert.DoesNotContain(Secret, ex.ToString());
        Assert.DoesNotContain(Consumer, ex.ToString());
        Assert.Equal(2, api.Calls.Count);
    }

    [Theory]
    [InlineData(400, "{\"class\":\"Client::BadRequest\",\"message\":\"Invalid signature\"}")]
    [InlineData(400, "{\"errorCode\":\"QUERY_TIME_OUT\",\"httpCode\":\"400 Bad Request\",\"message\":\"Query out of time\"}")]
    [InlineData(401, "{\"message\":\"Query out of time\"}")]
    [InlineData(403, "{\"errorCode\":\"INVALID_KEY\",\"httpCode\":\"403 Forbidden\",\"message\":\"Invalid application key\"}")]
    public async Task ReadsEveryBodyShapeOfABadSignatureOrClockAsTheKeysOrTheClock(int status, string body)
    {
        var api = ClockedApi(() => Answer(status, body));
        using OvhClient client = NewClient(api);

        var ex = await Assert.ThrowsAsync<OvhApiException>(() => client.GetAsync("/email/exchange", CancellationToken.None));

        Assert.Equal(OvhFailure.CredentialsRefused, ex.Failure);
        Assert.Equal(status, ex.StatusCode);
        Assert.Contains("clock", ex.Message);
    }

    [Fact]
    public async Task AnotherBadRequestIsNoCredentialProblem()
    {
        var api = ClockedApi(() => Answer(400, "{\"class\":\"Client::BadRequest\",\"message\":\"Invalid value for property state\"}"));
        using OvhClient client = NewClient(api);

        var ex = await Assert.ThrowsAsync<OvhApiException>(() => client.GetAsync("/email/exchange", CancellationToken.None));

        Assert.Equal(OvhFailure.Refused, ex.Failure);
    }

    [Fact]
    public async Task BoundsEveryCallByItsTimeout()
    {
        var api = new ScriptedApi(request => throw new InvalidOperationException("not reached"), hang: true);
        using OvhClient client = NewClient(api);
        client.Timeout = TimeSpan.FromMilliseconds(300);

        var ex = await Assert.ThrowsAsync<OvhApiException>(() => client.GetAsync("/email/exchange", CancellationToken.None));

        Assert.Equal(OvhFailure.TimedOut, ex.Failure);
        Assert.StartsWith("GET /email/exchange: ", ex.Message);
    }

    [Fact]
    public void BacksOffExponentiallyHonoursRetryAfterCappedAndStopsAtTheDeadline()
    {
        var policy = new OvhRetryPolicy();
        TimeSpan plenty = TimeSpan.FromMinutes(5);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(1, null, plenty));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(2, null, plenty));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.DelayBefore(3, null, plenty));
        Assert.Null(policy.DelayBefore(4, null, plenty));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(1, TimeSpan.FromSeconds(3), plenty));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(1, TimeSpan.FromSeconds(3600), plenty));
        Assert.Equal(TimeSpan.Zero, policy.DelayBefore(1, TimeSpan.FromSeconds(-5), plenty));
        Assert.Null(policy.DelayBefore(3, null, TimeSpan.FromSeconds(4)));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(2, null, TimeSpan.FromSeconds(2.5)));
    }

    [Theory]
    [InlineData("GET", 429, true)]
    [InlineData("GET", 500, true)]
    [InlineData("GET", 503, true)]
    [InlineData("POST", 429, true)]
    [InlineData("POST", 500, false)]
    [InlineData("POST", 503, false)]
    [InlineData("GET", 400, false)]
    [InlineData("GET", 403, false)]
    [InlineData("GET", 404, false)]
    public void RetriesRateLimitsAndOnlyAGetAfterAServerError(string method, int status, bool retried)
        => Assert.Equal(retried, OvhRetryPolicy.IsRetryable(method, status));

    [Fact]
    public async Task NeverPostsThePasswordTwiceAfterAServerError()
    {
        var api = ClockedApi(() => Answer(502, "{\"message\":\"Bad gateway\"}"));
        using OvhClient client = NewClient(api);
        var ticket = new OvhTicketRequest("subject", "body");

        await Assert.ThrowsAsync<OvhApiException>(() => client.CreateTicketAsync(ticket, CancellationToken.None));

        Assert.Equal(1, api.Calls.Count(c => c.StartsWith("POST ", StringComparison.Ordinal)));
    }

    /// <summary>An API whose /auth/time tells the right time and whose every other call gets <paramref name="answer"/>.</summary>
    private static ScriptedApi ClockedApi(Func<HttpResponseMessage> answer)
        => new ScriptedApi(request => request.RequestUri!.AbsolutePath == "/1.0/auth/time" ? Answer(200, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString()) : answer());

    private static OvhClient NewClient(ScriptedApi api)
    {
        var credentials = new OvhCredentials(Endpoint, "app-key", OvhCredentials.Protect(Secret), OvhCredentials.Protect(Consumer), "test");
        return new OvhClient(credentials, new OvhRetryPolicy(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)), api);
    }

    private static HttpResponseMessage Answer(int status, string json, string? queryId = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (queryId != null)
        {
            response.Headers.Add("X-Ovh-QueryId", queryId);
        }

        return response;
    }

    private sealed class Recorded
    {
        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; set; } = string.Empty;
    }

    private sealed class ScriptedApi : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, HttpResponseMessage> _answer;
        private readonly bool _hang;

        public ScriptedApi(Func<HttpRequestMessage, HttpResponseMessage> answer, bool hang = false)
        {
            _answer = answer;
            _hang = hang;
        }

        public List<string> Calls { get; } = new List<string>();

        public List<Recorded> Requests { get; } = new List<Recorded>();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (_hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var recorded = new Recorded { Body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken) };
            foreach (var header in request.Headers)
            {
                recorded.Headers[header.Key] = string.Join(",", header.Value);
            }

            Calls.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
            Requests.Add(recorded);
            return _answer(request);
        }
    }
}
