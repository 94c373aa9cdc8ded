using System.Globalization;
using System.Management.Automation;
using ExchangeDiag.Ovh;

namespace ExchangeDiag.Commands;

/// <summary>
/// New-ExchangeSupportTicket: opens a ticket with the provider's support (OVHcloud API,
/// product exchange) whose body is the diagnosis report in Markdown. Secrets are never in a report.
/// </summary>
[Cmdlet(VerbsCommon.New, "ExchangeSupportTicket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/New-ExchangeSupportTicket.md")]
[OutputType(typeof(OvhTicket))]
public sealed class NewExchangeSupportTicketCommand : OvhCommand
{
    /// <summary>The diagnosis to send, from Invoke-ExchangeDiagnostic.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public DiagnosticReport? Report { get; set; }

    /// <summary>The ticket's subject; by default the mailbox and its first root cause.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subject { get; set; }

    /// <summary>assistance, billing or incident; by default billing for an expired subscription, incident for a platform incident, assistance otherwise.</summary>
    [Parameter]
    [ValidateSet("assistance", "billing", "incident")]
    public string? Category { get; set; }

    /// <summary>The Exchange service the ticket is about; by default the one the provider's account state named.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Service { get; set; }

    /// <summary>The language of the report in the ticket's body; the PowerShell UI culture by default.</summary>
    [Parameter]
    [ValidateNotNull]
    public CultureInfo? Culture { get; set; }

    protected override void ProcessRecord()
    {
        OvhTicketRequest ticket = SupportTicket.Compose(Report!, Culture ?? CultureInfo.CurrentUICulture, Subject, Category, Service);
        string description = Texts.Commands.Format("Ticket_WhatIf", ticket.Subject, ticket.Category, ticket.ServiceName ?? Texts.Commands["Ticket_NoService"]) + "\n" + ticket.Body;
        if (!ShouldProcess(description, Texts.Commands.Format("Ticket_Confirm", ticket.Subject), "New-ExchangeSupportTicket"))
        {
            return;
        }

        OvhClient client = RequireClient();
        try
        {
            OvhTicket created = Await(client.CreateTicketAsync(ticket, CancelToken));
            WriteVerbose($"Ticket {created.TicketNumber} opened (id {created.TicketId}).");
            WriteObject(created);
        }
        catch (OvhApiException ex)
        {
            // One report's ticket failing leaves the next reports in the pipeline their chance.
            WriteError(new ErrorRecord(ex, "TicketNotCreated", ErrorCategory.NotSpecified, Report!.EmailAddress));
        }
    }
}
