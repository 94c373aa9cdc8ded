using System;
using System.Xml.Linq;

namespace ExchangeDiag.Ovh;

/// <summary>Where an account lives: its organization and Exchange service.</summary>
public sealed class OvhExchangeLocation
{
    public OvhExchangeLocation(string organization, string service)
    {
        Organization = organization;
        Service = service;
    }

    public string Organization { get; }

    public string Service { get; }

    public override string ToString() => $"{Organization}/{Service}";
}

/// <summary>A new support ticket (POST /support/tickets/create).</summary>
public sealed class OvhTicketRequest
{
    public OvhTicketRequest(string subject, string body)
    {
        Subject = subject;
        Body = body;
    }

    public string Subject { get; }

    /// <summary>The ticket's text; the caller keeps secrets out of it.</summary>
    public string Body { get; }

    /// <summary>assistance, billing or incident.</summary>
    public string? Category { get; set; }

    public string? Subcategory { get; set; }

    /// <summary>The Exchange service the ticket is about.</summary>
    public string? ServiceName { get; set; }

    public string? Impact { get; set; }

    public string? Urgency { get; set; }

    /// <summary>The product; exchange unless said otherwise.</summary>
    public string Product { get; set; } = "exchange";
}

/// <summary>The ticket the provider created.</summary>
public sealed class OvhTicket
{
    internal OvhTicket(long ticketId, long ticketNumber, long? messageId)
    {
        TicketId = ticketId;
        TicketNumber = ticketNumber;
        MessageId = messageId;
    }

    public long TicketId { get; }

    /// <summary>The number the provider's support and control panel show.</summary>
    public long TicketNumber { get; }

    public long? MessageId { get; }

    public override string ToString() => $"ticket {TicketNumber} (id {TicketId})";
}

/// <summary>email.exchange.Account: the fields the account-state check reads.</summary>
internal sealed class OvhExchangeAccount
{
    public OvhExchangeAccount(XElement json)
    {
        SpamDetected = json.Bool("spamDetected");
        SpamTicketNumber = json.Long("spamTicketNumber");
        State = json.String("state");
        ExpirationDate = json.Date("expirationDate");
    }

    public bool? SpamDetected { get; }

    public long? SpamTicketNumber { get; }

    public string? State { get; }

    public DateTimeOffset? ExpirationDate { get; }
}

/// <summary>email.exchange.ExchangeService: its state and lockout policy (minutes).</summary>
internal sealed class OvhExchangeService
{
    public OvhExchangeService(XElement json)
    {
        State = json.String("state");
        LockoutThreshold = json.Long("lockoutThreshold");
        LockoutDuration = json.Long("lockoutDuration");
        LockoutObservationWindow = json.Long("lockoutObservationWindow");
    }

    public string? State { get; }

    public long? LockoutThreshold { get; }

    public long? LockoutDuration { get; }

    public long? LockoutObservationWindow { get; }
}
