using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ExchangeEmulator;

/// <summary>The lab's control of the emulated API, under /_lab/ovh/ (see README).</summary>
public sealed partial class OvhApi
{
    public void Reset() => state.Reset();

    public async Task ControlAsync(HttpContext context, string rest)
    {
        string method = context.Request.Method;
        JsonElement body = await ReadControlBodyAsync(context);
        string[] parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (parts)
        {
            case ["reset"] when HttpMethods.IsPost(method):
                state.Reset();
                context.Response.StatusCode = 204;
                return;
            case ["accounts", string email] when HttpMethods.IsPost(method):
                await SetAccountAsync(context, email, body);
                return;
            case ["accounts", string email] when HttpMethods.IsGet(method):
                await AccountStatusAsync(context, email);
                return;
            case ["domains", string domain] when HttpMethods.IsPost(method):
                await SetDomainAsync(context, domain, body);
                return;
            case ["rate-limit"] when HttpMethods.IsPost(method):
                lock (state.Gate)
                {
                    state.RateLimitedCalls = Int(body, "calls") ?? 1;
                    state.RetryAfterSeconds = Int(body, "retryAfterSeconds") ?? 0;
                }

                context.Response.StatusCode = 204;
                return;
            case ["outage"] when HttpMethods.IsPost(method):
                lock (state.Gate)
                {
                    state.OutageCalls = Int(body, "calls") is int count and > 0 ? count : -1;
                    state.OutageStatus = Int(body, "status") ?? 503;
                }

                context.Response.StatusCode = 204;
                return;
            case ["clock"] when HttpMethods.IsPost(method):
                lock (state.Gate)
                {
                    state.ClockOffsetSeconds = Int(body, "offsetSeconds") ?? 0;
                }

                context.Response.StatusCode = 204;
                return;
            case ["task-outcome"] when HttpMethods.IsPost(method):
                lock (state.Gate)
                {
                    state.TaskOutcome = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("status", out JsonElement outcome) ? outcome.GetString() ?? "done" : "done";
                }

                context.Response.StatusCode = 204;
                return;
            case ["calls"] when HttpMethods.IsGet(method):
                Dictionary<string, int> calls;
                lock (state.Gate)
                {
                    calls = new Dictionary<string, int>(state.Calls);
                }

                await Http.JsonAsync(context, 200, new { total = calls.Values.Sum(), byCall = calls }, Json);
                return;
            case ["tickets"] when HttpMethods.IsGet(method):
                List<Dictionary<string, string?>> tickets;
                lock (state.Gate)
                {
                    tickets = state.Tickets.Select(t => new Dictionary<string, string?>(t)).ToList();
                }

                await Http.JsonAsync(context, 200, tickets, Json);
                return;
            default:
                await Http.JsonAsync(context, 404, new { error = "unknown ovh lab control path" });
                return;
        }
    }

    private async Task SetAccountAsync(HttpContext context, string email, JsonElement body)
    {
        string? conditionText = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("state", out JsonElement value) ? value.GetString() : null;
        if (!Enum.TryParse(conditionText, ignoreCase: true, out OvhAccountCondition condition))
        {
            await Http.JsonAsync(context, 400, new { error = "state must be healthy, spam, suspended, expired, unpaid or locked" });
            return;
        }

        lock (state.Gate)
        {
            if (!state.Accounts.TryGetValue(email, out OvhApiState.Account? account))
            {
                account = null;
            }
            else
            {
                account.Condition = condition;
                account.SpamTicketNumber = condition == OvhAccountCondition.Spam ? Int(body, "spamTicketNumber") ?? 7_654_321 : null;

                // A lock shows only in the provider's diagnosis, so a locked account comes with one.
                account.Diagnosis = condition == OvhAccountCondition.Locked ? Diagnosis(account, passwordCorrect: true) : null;
            }

            if (account is null)
            {
                context.Response.StatusCode = 404;
                return;
            }
        }

        context.Response.StatusCode = 204;
    }

    private async Task AccountStatusAsync(HttpContext context, string email)
    {
        object? status = null;
        lock (state.Gate)
        {
            if (state.Accounts.TryGetValue(email, out OvhApiState.Account? account))
            {
                status = new { state = account.Condition.ToString().ToLowerInvariant(), diagnoses = account.Diagnoses, lastPasswordCorrect = account.LastPasswordCorrect };
            }
        }

        await (status is null ? Http.JsonAsync(context, 404, new { error = "unknown account" }) : Http.JsonAsync(context, 200, status));
    }

    private async Task SetDomainAsync(HttpContext context, string name, JsonElement body)
    {
        bool found;
        lock (state.Gate)
        {
            found = state.Domains.TryGetValue(name, out OvhApiState.Domain? domain);
            if (domain is not null)
            {
                domain.MxIsValid = Bool(body, "mxIsValid") ?? domain.MxIsValid;
                domain.SrvIsValid = Bool(body, "srvIsValid") ?? domain.SrvIsValid;
                domain.SpfIsValid = Bool(body, "spfIsValid") ?? domain.SpfIsValid;
                domain.DkimState = body.TryGetProperty("dkimState", out JsonElement dkim) && dkim.ValueKind == JsonValueKind.String ? dkim.GetString()! : domain.DkimState;
                if (body.TryGetProperty("dkimSelectors", out JsonElement selectors) && selectors.ValueKind == JsonValueKind.Array)
                {
                    domain.DkimSelectors = selectors.EnumerateArray().Select(s => s.GetString() ?? "").ToList();
                }
            }
        }

        if (!found)
        {
            await Http.JsonAsync(context, 404, new { error = "unknown domain" });
            return;
        }

        context.Response.StatusCode = 204;
    }

    private static async Task<JsonElement> ReadControlBodyAsync(HttpContext context)
    {
        string text = await Http.ReadBodyAsync(context.Request);
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static int? Int(JsonElement body, string name)
        => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out JsonElement value) && value.TryGetInt32(out int number) ? number : null;

    private static bool? Bool(JsonElement body, string name)
        => body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out JsonElement value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}
