using System.Globalization;
using System.Linq;
using ExchangeDiag.Reporting;

namespace ExchangeDiag.Ovh;

/// <summary>The support ticket for a diagnosis: its subject, category, service and the report in Markdown as its body.</summary>
public static class SupportTicket
{
    /// <summary>Builds the ticket; what is not given comes from the report (first cause, the provider's service).</summary>
    public static OvhTicketRequest Compose(DiagnosticReport report, CultureInfo culture, string? subject, string? category, string? service)
    {
        RootCause? first = report.Causes.FirstOrDefault();
        subject ??= Texts.Diagnosis.Format(culture, "Ticket_Subject", report.EmailAddress, first?.Cause.ToString() ?? report.Status.ToString());
        return new OvhTicketRequest(subject, MarkdownReportWriter.Write(new[] { report }, culture))
        {
            Category = category ?? DefaultCategory(first?.Cause),
            ServiceName = service ?? report.Results.OfType<AccountStateResult>().Select(r => r.Service).FirstOrDefault(s => s != null),
        };
    }

    /// <summary>The provider's ticket categories: billing for an expired subscription, incident for a platform incident.</summary>
    private static string DefaultCategory(DiagnosticCause? cause) => cause switch
    {
        DiagnosticCause.SubscriptionExpired => "billing",
        DiagnosticCause.PlatformIncident => "incident",
        _ => "assistance",
    };
}
