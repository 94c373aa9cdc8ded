using System;

namespace ExchangeDiag;

/// <summary>The whole diagnosis of one mailbox: every check's result and the root causes drawn from them.</summary>
public sealed class DiagnosticReport : ICheckOutcome
{
    internal DiagnosticReport(string emailAddress, string domain)
    {
        EmailAddress = emailAddress;
        Domain = domain;
    }

    public string EmailAddress { get; }

    public string Domain { get; }

    /// <summary>The hosted offer the DNS answers point to; null when it is not one the checks know.</summary>
    public MailProvider? Provider { get; internal set; }

    /// <summary>The Exchange server the checks logged in to: given, or found through SRV and Autodiscover.</summary>
    public string? ExchangeServer { get; internal set; }

    /// <summary>The worst status among the results.</summary>
    public CheckStatus Status { get; internal set; }

    /// <summary>True when the mailbox works: no check Failed or ended in Error.</summary>
    public bool Passed => Status == CheckStatus.Passed || Status == CheckStatus.Warning;

    /// <summary>One sentence: the mailbox is healthy, or the most likely root cause.</summary>
    public string Verdict { get; internal set; } = string.Empty;

    /// <summary>The root causes, most likely first.</summary>
    public SummaryList<RootCause> Causes { get; internal set; } = new SummaryList<RootCause>();

    /// <summary>Every check's result, in the order the checks are listed.</summary>
    public SummaryList<CheckResult> Results { get; internal set; } = new SummaryList<CheckResult>();

    /// <summary>The provider's own diagnosis, when it was asked for (-ProviderDiagnosis).</summary>
    public ProviderDiagnosisResult? ProviderDiagnosis { get; internal set; }

    public DateTimeOffset StartTime { get; internal set; }

    /// <remarks>For scripts; hidden from ConvertTo-Json, Export-Csv and Format-List *, which show DurationMs instead (README: Results).</remarks>
    [System.Management.Automation.Hidden]
#if NET
    [Newtonsoft.Json.JsonIgnore]
#endif
    public TimeSpan Duration { get; internal set; }

    /// <summary>Duration in milliseconds, for ConvertTo-Json and Export-Csv (the report JSON writes Duration itself in milliseconds).</summary>
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);

    public string ModuleVersion { get; internal set; } = string.Empty;

    /// <summary>The culture the messages were written in, such as en-US or fr-FR.</summary>
    public string Culture { get; internal set; } = string.Empty;

    public override string ToString() => $"{EmailAddress}: {Status} - {Verdict}";
}

/// <summary>A cause the provider's guide lists, the evidence that points to it, and the checks it explains.</summary>
public sealed class RootCause
{
    internal RootCause(DiagnosticCause cause, string message, string remediation)
    {
        Cause = cause;
        Message = message;
        Remediation = remediation;
    }

    public DiagnosticCause Cause { get; }

    public string Message { get; }

    public string Remediation { get; }

    /// <summary>The findings that led to this cause, each naming its check.</summary>
    public SummaryList<string> Evidence { get; internal set; } = new SummaryList<string>();

    /// <summary>The checks whose failure this cause explains, as "Check Target".</summary>
    public SummaryList<string> Explains { get; internal set; } = new SummaryList<string>();

    public override string ToString() => $"{Cause}: {Message}";
}

/// <summary>The provider's server-side diagnosis of a mailbox (OVHcloud's eight answers), beside ours.</summary>
public sealed class ProviderDiagnosisResult : CheckResult
{
    internal ProviderDiagnosisResult(string emailAddress)
        : base("ProviderDiagnosis", emailAddress)
    {
    }

    public bool? IsSpammer { get; internal set; }

    public bool? IsSuspended { get; internal set; }

    public bool? IsLocked { get; internal set; }

    public bool? ConnectiveOwa { get; internal set; }

    public bool? IsMxValid { get; internal set; }

    public bool? IsSrvValid { get; internal set; }

    public bool? CanSendEmail { get; internal set; }

    public bool? CanReceiveEmail { get; internal set; }

    /// <summary>When the provider ran the diagnosis.</summary>
    public DateTimeOffset? LastCheck { get; internal set; }

    /// <summary>Where the provider's answer and our own results disagree, one line each.</summary>
    public SummaryList<string> Disagreements { get; internal set; } = new SummaryList<string>();
}
