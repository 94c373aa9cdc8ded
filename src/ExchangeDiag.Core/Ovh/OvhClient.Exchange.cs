using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;

namespace ExchangeDiag.Ovh;

/// <summary>The calls of the /email/exchange and /support APIs that ExchangeDiag uses.</summary>
public sealed partial class OvhClient
{
    private readonly object _servicesGate = new object();
    private Task<IReadOnlyList<OvhExchangeLocation>>? _services;

    /// <summary>
    /// The organization and service that hold <paramref name="emailAddress"/>: those given, or
    /// found by listing the account's organizations and services. Null when none holds it.
    /// </summary>
    public async Task<OvhExchangeLocation?> FindAccountAsync(string emailAddress, string? organization, string? service, CancellationToken cancellationToken)
    {
        if (organization != null && service != null)
        {
            return new OvhExchangeLocation(organization, service);
        }

        IEnumerable<OvhExchangeLocation> candidates = organization == null && service == null
            ? await ListServicesAsync(cancellationToken).ConfigureAwait(false)
            : await ListServicesAsync(organization, service, cancellationToken).ConfigureAwait(false);
        foreach (OvhExchangeLocation location in candidates)
        {
            XElement? accounts = await GetAsync($"{ServicePath(location)}/account?primaryEmailAddress={Uri.EscapeDataString(emailAddress)}", cancellationToken).ConfigureAwait(false);
            if (Names(accounts).Contains(emailAddress, StringComparer.OrdinalIgnoreCase))
            {
                return location;
            }
        }

        return null;
    }

    /// <summary>
    /// Every Exchange service of the account, listed once per client: a diagnosis of many mailboxes
    /// must not list them again for each (the API limits its callers' rate).
    /// </summary>
    private Task<IReadOnlyList<OvhExchangeLocation>> ListServicesAsync(CancellationToken cancellationToken)
    {
        lock (_servicesGate)
        {
            // A listing that failed is not kept: the next mailbox asks again.
            if (_services == null || _services.IsFaulted || _services.IsCanceled)
            {
                _services = ListServicesAsync(null, null, cancellationToken);
            }

            return _services;
        }
    }

    private async Task<IReadOnlyList<OvhExchangeLocation>> ListServicesAsync(string? organization, string? service, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> organizations = organization != null
            ? new[] { organization }
            : Names(await GetAsync("/email/exchange", cancellationToken).ConfigureAwait(false));
        var locations = new List<OvhExchangeLocation>();
        foreach (string org in organizations)
        {
            IReadOnlyList<string> services = service != null
                ? new[] { service }
                : Names(await GetAsync($"/email/exchange/{Segment(org)}/service", cancellationToken).ConfigureAwait(false));
            locations.AddRange(services.Select(svc => new OvhExchangeLocation(org, svc)));
        }

        return locations;
    }

    /// <summary>Creates a support ticket (POST /support/tickets/create) and returns its id and number.</summary>
    public async Task<OvhTicket> CreateTicketAsync(OvhTicketRequest ticket, CancellationToken cancellationToken)
    {
        const string path = "/support/tickets/create";
        string body = OvhJson.Write(new Dictionary<string, string?>
        {
            ["subject"] = ticket.Subject,
            ["body"] = ticket.Body,
            ["product"] = ticket.Product,
            ["category"] = ticket.Category,
            ["subcategory"] = ticket.Subcategory,
            ["serviceName"] = ticket.ServiceName,
            ["impact"] = ticket.Impact,
            ["urgency"] = ticket.Urgency,
        });
        XElement answer = Required(await PostAsync(path, body, cancellationToken).ConfigureAwait(false), "POST " + path);
        long? id = answer.Long("ticketId");
        long? number = answer.Long("ticketNumber");
        if (id == null || number == null)
        {
            throw new OvhApiException("POST " + path, OvhFailure.BadAnswer, 200, null, null, new Phrase(Texts.Ovh, "Api_NoTicket"));
        }

        return new OvhTicket(id.Value, number.Value, answer.Long("messageId"));
    }

    /// <summary>GET /auth/currentCredential: proves the keys sign correctly; returns the credential's status (validated, expired...).</summary>
    public async Task<string?> GetCurrentCredentialStatusAsync(CancellationToken cancellationToken)
        => (await GetAsync("/auth/currentCredential", cancellationToken).ConfigureAwait(false))?.String("status");

    internal async Task<OvhExchangeAccount> GetAccountAsync(OvhExchangeLocation location, string emailAddress, CancellationToken cancellationToken)
    {
        string path = AccountPath(location, emailAddress);
        return new OvhExchangeAccount(Required(await GetAsync(path, cancellationToken).ConfigureAwait(false), "GET " + path));
    }

    internal async Task<OvhExchangeService> GetServiceAsync(OvhExchangeLocation location, CancellationToken cancellationToken)
    {
        string path = ServicePath(location);
        return new OvhExchangeService(Required(await GetAsync(path, cancellationToken).ConfigureAwait(false), "GET " + path));
    }

    /// <summary>serviceInfos: the subscription's status (ok, expired, unPaid...) and expiration.</summary>
    internal async Task<XElement> GetServiceInfosAsync(OvhExchangeLocation location, CancellationToken cancellationToken)
    {
        string path = ServicePath(location) + "/serviceInfos";
        return Required(await GetAsync(path, cancellationToken).ConfigureAwait(false), "GET " + path);
    }

    internal async Task<XElement> GetDomainAsync(OvhExchangeLocation location, string domain, CancellationToken cancellationToken)
    {
        string path = $"{ServicePath(location)}/domain/{Segment(domain)}";
        return Required(await GetAsync(path, cancellationToken).ConfigureAwait(false), "GET " + path);
    }

    /// <summary>The DKIM selectors the provider made for the domain (dkimSelector); empty when it has none.</summary>
    internal async Task<IReadOnlyList<string>> GetDkimSelectorsAsync(OvhExchangeLocation location, string domain, CancellationToken cancellationToken)
    {
        try
        {
            XElement? selectors = await GetAsync($"{ServicePath(location)}/domain/{Segment(domain)}/dkimSelector", cancellationToken).ConfigureAwait(false);
            return selectors?.Strings() ?? Array.Empty<string>();
        }
        catch (OvhApiException ex) when (ex.Failure == OvhFailure.NotFound)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>The provider's last diagnosis of the account; null when it never ran one.</summary>
    internal async Task<XElement?> GetDiagnosisAsync(OvhExchangeLocation location, string emailAddress, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(AccountPath(location, emailAddress) + "/diagnostics", cancellationToken).ConfigureAwait(false);
        }
        catch (OvhApiException ex) when (ex.Failure == OvhFailure.NotFound)
        {
            return null;
        }
    }

    /// <summary>Starts the provider's diagnosis, which needs the mailbox's password; returns the task's id.</summary>
    internal async Task<long> StartDiagnosisAsync(OvhExchangeLocation location, string emailAddress, SecureString password, CancellationToken cancellationToken)
    {
        string path = AccountPath(location, emailAddress) + "/diagnostics";
        string body = OvhJson.Write(new Dictionary<string, string?> { ["password"] = OvhCredentials.Reveal(password) });
        XElement task = Required(await PostAsync(path, body, cancellationToken).ConfigureAwait(false), "POST " + path);
        return task.Long("id") ?? throw new OvhApiException("POST " + path, OvhFailure.BadAnswer, 200, null, null, new Phrase(Texts.Ovh, "Api_NoTask"));
    }

    /// <summary>A task's status: todo, doing, done, error or cancelled.</summary>
    internal async Task<string> GetTaskStatusAsync(OvhExchangeLocation location, string emailAddress, long taskId, CancellationToken cancellationToken)
    {
        string path = $"{AccountPath(location, emailAddress)}/tasks/{taskId}";
        XElement task = Required(await GetAsync(path, cancellationToken).ConfigureAwait(false), "GET " + path);
        return task.String("status") ?? "unknown";
    }

    private static string ServicePath(OvhExchangeLocation location)
        => $"/email/exchange/{Segment(location.Organization)}/service/{Segment(location.Service)}";

    private static string AccountPath(OvhExchangeLocation location, string emailAddress)
        => $"{ServicePath(location)}/account/{Segment(emailAddress)}";

    /// <summary>A path segment escaped as the official clients send it: '@' stays as it is.</summary>
    private static string Segment(string value) => Uri.EscapeDataString(value).Replace("%40", "@");

    private static IReadOnlyList<string> Names(XElement? array) => array == null ? Array.Empty<string>() : array.Strings();

    private static XElement Required(XElement? answer, string call)
        => answer ?? throw new OvhApiException(call, OvhFailure.BadAnswer, 200, null, null, new Phrase(Texts.Ovh, "Api_Empty"));
}
