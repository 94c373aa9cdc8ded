using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ExchangeEmulator;

/// <summary>The API's answers, with the real schemas' field names (PROTOCOL-NOTES 1).</summary>
public sealed partial class OvhApi
{
    [GeneratedRegex(@"^/email/exchange/(?<org>[^/]+)/service/(?<svc>[^/]+)(?<rest>/.*)?$")]
    private static partial Regex ServicePath();

    private Task RouteAsync(HttpContext context, string method, string path, string body)
    {
        bool get = HttpMethods.IsGet(method);
        if (get && path == "/auth/currentCredential")
        {
            return Http.JsonAsync(context, 200, CurrentCredential(), Json);
        }

        if (get && path == "/email/exchange")
        {
            return Http.JsonAsync(context, 200, spec.Organizations.Select(o => o.Name), Json);
        }

        if (HttpMethods.IsPost(method) && path == "/support/tickets/create")
        {
            return CreateTicketAsync(context, body);
        }

        Match organizationOnly = Regex.Match(path, "^/email/exchange/([^/]+)/service$");
        if (get && organizationOnly.Success)
        {
            OvhOrganizationSpec? organization = spec.Organizations.FirstOrDefault(o => o.Name == organizationOnly.Groups[1].Value);
            return organization is null
                ? NotFoundAsync(context, organizationOnly.Groups[1].Value)
                : Http.JsonAsync(context, 200, organization.Services.Select(s => s.Name), Json);
        }

        Match match = ServicePath().Match(path);
        if (!match.Success)
        {
            return NotFoundAsync(context, path);
        }

        OvhOrganizationSpec? org = spec.Organizations.FirstOrDefault(o => o.Name == match.Groups["org"].Value);
        OvhServiceSpec? service = org?.Services.FirstOrDefault(s => s.Name == match.Groups["svc"].Value);
        if (org is null || service is null)
        {
            return NotFoundAsync(context, $"{match.Groups["org"].Value}/{match.Groups["svc"].Value}");
        }

        return ServiceRouteAsync(context, method, org, service, match.Groups["rest"].Value, body);
    }

    private Task ServiceRouteAsync(HttpContext context, string method, OvhOrganizationSpec org, OvhServiceSpec service, string rest, string body)
    {
        bool get = HttpMethods.IsGet(method);
        if (get && rest.Length == 0)
        {
            return Http.JsonAsync(context, 200, Service(org, service), Json);
        }

        if (get && rest == "/serviceInfos")
        {
            return Http.JsonAsync(context, 200, ServiceInfos(service), Json);
        }

        if (get && rest == "/account")
        {
            string filter = context.Request.Query["primaryEmailAddress"].ToString();
            var pattern = new Regex("^" + Regex.Escape(filter).Replace("%", ".*") + "$", RegexOptions.IgnoreCase);
            return Http.JsonAsync(context, 200, service.Accounts.Where(a => filter.Length == 0 || pattern.IsMatch(a)), Json);
        }

        string[] parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (get && parts is ["domain", string selectorDomain, "dkimSelector"])
        {
            if (!service.Domains.Contains(selectorDomain, StringComparer.OrdinalIgnoreCase))
            {
                return NotFoundAsync(context, selectorDomain);
            }

            string[] selectors;
            lock (state.Gate)
            {
                selectors = [.. state.Domains[selectorDomain].DkimSelectors];
            }

            return Http.JsonAsync(context, 200, selectors, Json);
        }

        if (get && parts is ["domain", string domainName])
        {
            return service.Domains.Contains(domainName, StringComparer.OrdinalIgnoreCase)
                ? Http.JsonAsync(context, 200, Domain(service, domainName), Json)
                : NotFoundAsync(context, domainName);
        }

        if (parts.Length < 2 || parts[0] != "account")
        {
            return NotFoundAsync(context, rest);
        }

        OvhApiState.Account? account;
        lock (state.Gate)
        {
            account = state.Accounts.GetValueOrDefault(parts[1]);
        }

        if (account is null || account.Service != service)
        {
            return NotFoundAsync(context, parts[1]);
        }

        return parts switch
        {
            [_, _] when get => Http.JsonAsync(context, 200, Account(account), Json),
            [_, _, "diagnostics"] when get => DiagnosisAsync(context, account),
            [_, _, "diagnostics"] when HttpMethods.IsPost(method) => StartDiagnosisAsync(context, account, body),
            [_, _, "tasks", string id] when get => TaskAsync(context, account, id),
            _ => NotFoundAsync(context, rest),
        };
    }

    private Dictionary<string, object?> CurrentCredential() => new()
    {
        ["credentialId"] = 424242,
        ["applicationId"] = 4242,
        ["status"] = "validated",
        ["creation"] = "2026-01-01T00:00:00+01:00",
        ["expiration"] = null,
        ["lastUse"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK"),
        ["ovhSupport"] = false,
        ["allowedIPs"] = null,
        ["rules"] = new[]
        {
            new Dictionary<string, string> { ["method"] = "GET", ["path"] = "/email/exchange/*" },
            new Dictionary<string, string> { ["method"] = "POST", ["path"] = "/email/exchange/*/service/*/account/*/diagnostics" },
            new Dictionary<string, string> { ["method"] = "POST", ["path"] = "/support/tickets/create" },
        },
    };

    private Dictionary<string, object?> Service(OvhOrganizationSpec org, OvhServiceSpec service) => new()
    {
        ["domain"] = service.Name,
        ["displayName"] = $"{org.Name} {service.Name}",
        ["hostname"] = service.Hostname,
        ["offer"] = "hosted",
        ["state"] = "ok",
        ["taskPendingId"] = 0,
        ["lockoutThreshold"] = service.LockoutThreshold,
        ["lockoutDuration"] = service.LockoutDurationMinutes,
        ["lockoutObservationWindow"] = service.LockoutObservationWindowMinutes,
        ["complexityEnabled"] = true,
        ["minPasswordLength"] = 8,
        ["maxPasswordAge"] = null,
        ["webUrl"] = $"https://{service.Hostname}/owa/",
    };

    private Dictionary<string, object?> ServiceInfos(OvhServiceSpec service)
    {
        string status;
        lock (state.Gate)
        {
            status = state.ServiceStatus(service);
        }

        DateTimeOffset expiration = status == "ok" ? DateTimeOffset.UtcNow.AddMonths(6) : DateTimeOffset.UtcNow.AddDays(-3);
        return new()
        {
            ["status"] = status,
            ["expiration"] = expiration.ToString("yyyy-MM-dd"),
            ["creation"] = "2024-01-15",
            ["domain"] = service.Name,
            ["serviceId"] = 10424242,
            ["renewalType"] = "automaticV2016",
            ["renew"] = new Dictionary<string, object?> { ["automatic"] = true, ["period"] = 1, ["deleteAtExpiration"] = false, ["forced"] = false, ["manualPayment"] = false },
            ["possibleRenewPeriod"] = new[] { 1, 12 },
            ["canDeleteAtExpiration"] = true,
            ["contactAdmin"] = "xx11111-ovh",
            ["contactBilling"] = "xx11111-ovh",
            ["contactTech"] = "xx11111-ovh",
            ["engagedUpTo"] = null,
        };
    }

    private Dictionary<string, object?> Account(OvhApiState.Account account)
    {
        lock (state.Gate)
        {
            bool spam = account.Condition == OvhAccountCondition.Spam;
            string domain = account.Email[(account.Email.IndexOf('@') + 1)..];
            return new()
            {
                ["primaryEmailAddress"] = account.Email,
                ["login"] = account.Email[..account.Email.IndexOf('@')],
                ["domain"] = domain,
                ["id"] = Math.Abs(account.Email.GetHashCode() % 100000),
                ["accountLicense"] = "standard",
                ["displayName"] = account.Email,
                ["state"] = account.Condition == OvhAccountCondition.Suspended ? "suspended" : "ok",
                ["spamDetected"] = spam,
                ["spamTicketNumber"] = spam ? account.SpamTicketNumber : null,
                ["expirationDate"] = DateTimeOffset.UtcNow.AddMonths(6).ToString("yyyy-MM-ddTHH:mm:ssK"),
                ["renewPeriod"] = "monthly",
                ["lastLogonDate"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssK"),
                ["passwordLastUpdate"] = "2026-01-10T09:00:00+01:00",
                ["quota"] = 50,
                ["currentUsage"] = 3,
                ["hiddenFromGAL"] = false,
                ["taskPendingId"] = 0,
            };
        }
    }

    private Dictionary<string, object?> Domain(OvhServiceSpec service, string name)
    {
        OvhApiState.Domain domain;
        lock (state.Gate)
        {
            domain = state.Domains[name];
        }

        string[] expectedMx = ["mx0.mail.ovh.net", "mx1.mail.ovh.net", "mx2.mail.ovh.net", "mx3.mail.ovh.net", "mx4.mail.ovh.net"];
        return new()
        {
            ["name"] = name,
            ["state"] = "ok",
            ["type"] = "authoritative",
            ["mxIsValid"] = domain.MxIsValid,
            ["mxRecord"] = domain.MxIsValid ? expectedMx : new[] { "mail.elsewhere.example" },
            ["expectedMX"] = expectedMx,
            ["srvIsValid"] = domain.SrvIsValid,
            ["srvRecord"] = domain.SrvIsValid ? new[] { $"0 0 443 {service.Hostname}" } : Array.Empty<string>(),
            ["expectedAutodiscoverSRV"] = $"0 0 443 {service.Hostname}",
            ["spfIsValid"] = domain.SpfIsValid,
            ["expectedSPF"] = "v=spf1 include:mx.ovh.com ~all",
            ["dkimDiagnostics"] = new Dictionary<string, object?>
            {
                ["state"] = domain.DkimState,
                ["errorCode"] = domain.DkimState == "error" ? 1 : null,
                ["message"] = domain.DkimState == "error" ? "The DKIM record is not found in the DNS zone" : null,
            },
            ["taskPendingId"] = 0,
        };
    }

    private Task DiagnosisAsync(HttpContext context, OvhApiState.Account account)
    {
        Dictionary<string, object?>? diagnosis;
        lock (state.Gate)
        {
            diagnosis = account.Diagnosis;
        }

        return diagnosis is null ? NotFoundAsync(context, account.Email + "/diagnostics") : Http.JsonAsync(context, 200, diagnosis, Json);
    }

    private Task StartDiagnosisAsync(HttpContext context, OvhApiState.Account account, string body)
    {
        string? password = null;
        try
        {
            using JsonDocument json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("password", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                password = value.GetString();
            }
        }
        catch (JsonException)
        {
            return BadRequestAsync(context, "Invalid JSON body");
        }

        if (string.IsNullOrEmpty(password))
        {
            return BadRequestAsync(context, "Missing parameter: password");
        }

        OvhApiState.DiagnosisTask task;
        lock (state.Gate)
        {
            task = new OvhApiState.DiagnosisTask(state.NextId++, account);
            state.Tasks[task.Id] = task;
            account.Diagnoses++;
            account.LastPasswordCorrect = password == spec.Password;
            account.Diagnosis = Diagnosis(account, account.LastPasswordCorrect.Value);
        }

        return Http.JsonAsync(context, 200, TaskJson(task, "todo"), Json);
    }

    /// <summary>The diagnosis takes a couple of polls: todo when created, doing at the first poll, done at the second.</summary>
    private Task TaskAsync(HttpContext context, OvhApiState.Account account, string id)
    {
        string status;
        OvhApiState.DiagnosisTask? task;
        lock (state.Gate)
        {
            task = long.TryParse(id, out long number) ? state.Tasks.GetValueOrDefault(number) : null;
            if (task is null || task.Account != account)
            {
                task = null;
                status = "";
            }
            else
            {
                task.Polls++;
                status = task.Polls >= 2 ? state.TaskOutcome : "doing";
            }
        }

        return task is null ? NotFoundAsync(context, id) : Http.JsonAsync(context, 200, TaskJson(task, status), Json);
    }

    private static Dictionary<string, object?> TaskJson(OvhApiState.DiagnosisTask task, string status) => new()
    {
        ["id"] = task.Id,
        ["function"] = "diagnoseAccount",
        ["status"] = status,
        ["todoDate"] = task.Created.ToString("yyyy-MM-ddTHH:mm:ssK"),
        ["finishDate"] = status is "done" or "error" or "cancelled" ? DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssK") : null,
    };

    /// <summary>Must be called under the state's lock.</summary>
    private Dictionary<string, object?> Diagnosis(OvhApiState.Account account, bool passwordCorrect)
    {
        Dictionary<string, object?> diagnosis = OvhApiState.Diagnose(account, passwordCorrect);
        string domain = account.Email[(account.Email.IndexOf('@') + 1)..];
        if (state.Domains.TryGetValue(domain, out OvhApiState.Domain? records))
        {
            diagnosis["isMxValid"] = records.MxIsValid;
            diagnosis["isSrvValid"] = records.SrvIsValid;
        }

        return diagnosis;
    }

    private Task CreateTicketAsync(HttpContext context, string body)
    {
        var ticket = new Dictionary<string, string?>();
        try
        {
            using JsonDocument json = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            foreach (JsonProperty property in json.RootElement.EnumerateObject())
            {
                ticket[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return BadRequestAsync(context, "Invalid JSON body");
        }

        if (string.IsNullOrEmpty(ticket.GetValueOrDefault("subject")) || string.IsNullOrEmpty(ticket.GetValueOrDefault("body")))
        {
            return BadRequestAsync(context, "Missing parameter: subject and body are required");
        }

        if (ticket.GetValueOrDefault("category") is string category && category is not ("assistance" or "billing" or "incident"))
        {
            return BadRequestAsync(context, $"Invalid value for category: {category}");
        }

        long id;
        lock (state.Gate)
        {
            id = state.NextId++;
            ticket["ticketId"] = id.ToString();
            state.Tickets.Add(ticket);
        }

        return Http.JsonAsync(context, 200, new Dictionary<string, long> { ["ticketId"] = id, ["ticketNumber"] = 9_100_000 + id % 100_000, ["messageId"] = id + 1 }, Json);
    }
}
