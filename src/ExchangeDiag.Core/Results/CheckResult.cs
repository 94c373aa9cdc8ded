using System;

namespace ExchangeDiag;

/// <summary>Why a diagnosis left a check out.</summary>
internal enum SkipReason
{
    None,

    /// <summary>Another login refused the same credentials; they are not tried again.</summary>
    CredentialRefused,

    /// <summary>No Exchange server was found to check.</summary>
    NoServer,

    /// <summary>The user switched the check off, or an earlier step did not reach it.</summary>
    NotReached,

    /// <summary>The DNS server asked did not answer or refused: the domain's servers are unknown.</summary>
    LocalDns,

    /// <summary>The mail domain does not exist: there is nothing to check.</summary>
    DomainNotFound,
}

/// <summary>The common shape of every check's result.</summary>
public abstract class CheckResult : ICheckOutcome
{
    protected CheckResult(string check, string target)
    {
        Check = check;
        Target = target;
    }

    /// <summary>Short stable name of the check, such as <c>Mx</c>.</summary>
    public string Check { get; }

    /// <summary>What was checked, such as a domain or a host.</summary>
    public string Target { get; }

    public CheckStatus Status { get; internal set; }

    /// <summary>True when the thing checked works: Status is Passed or Warning.</summary>
    public bool Passed => Status == CheckStatus.Passed || Status == CheckStatus.Warning;

    public DiagnosticCause Cause { get; internal set; }

    /// <summary>One sentence for a person.</summary>
    public string Message { get; internal set; } = string.Empty;

    /// <summary>What to do about it; empty when the check passed.</summary>
    public string? Remediation { get; internal set; }

    public string? Expected { get; internal set; }

    public string? Observed { get; internal set; }

    /// <remarks>For scripts; hidden from ConvertTo-Json, Export-Csv and Format-List *, which show DurationMs instead (README: Results).</remarks>
    [System.Management.Automation.Hidden]
#if NET
    [Newtonsoft.Json.JsonIgnore]
#endif
    public TimeSpan Duration { get; internal set; }

    /// <summary>Duration in milliseconds, for ConvertTo-Json and Export-Csv (the report JSON writes Duration itself in milliseconds).</summary>
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);

    /// <summary>
    /// True when the server refused the credential itself (a login answered "no"): the same
    /// credential is then not tried again in this run, to stay clear of the lockout policy.
    /// </summary>
    public bool CredentialRefused { get; internal set; }

    /// <summary>
    /// In a diagnosis, the root cause that explains this result's failure, so that one wrong
    /// password reads as one problem rather than five; None when the result stands on its own.
    /// </summary>
    public DiagnosticCause ExplainedBy { get; internal set; }

    /// <summary>The ordered trace of what the check tried.</summary>
    public SummaryList<CheckStep> Steps { get; } = new SummaryList<CheckStep>();

    /// <summary>Why a diagnosis did not run this check, for the root-cause rules.</summary>
    internal SkipReason SkipReason { get; set; }

    /// <summary>Set when -SkipCertificateCheck let an invalid certificate through: what was wrong with it.</summary>
    internal string? CertificateProblemSkipped { get; set; }

    internal void AddStep(string name, CheckStatus status, string detail, TimeSpan duration = default)
        => Steps.Add(new CheckStep(name, status, detail, duration));

    internal void Conclude(CheckStatus status, DiagnosticCause cause, string message, string? remediation)
    {
        Status = status;
        Cause = cause;
        Message = message;
        Remediation = status == CheckStatus.Passed ? null : remediation;
    }

    /// <summary>
    /// Passes every text this result holds through <paramref name="clean"/> (server replies are
    /// copied into them; see <see cref="SecretRedactor.Clean(CheckResult)"/>). A result type with
    /// texts of its own from a server adds them in an override.
    /// </summary>
    internal virtual void CleanTexts(Func<string, string> clean)
    {
        Message = clean(Message);
        Remediation = CleanOrNull(Remediation, clean);
        Expected = CleanOrNull(Expected, clean);
        Observed = CleanOrNull(Observed, clean);
        Steps.ReplaceAll(step => step.WithDetail(clean(step.Detail)));
    }

    internal static string? CleanOrNull(string? text, Func<string, string> clean) => text == null ? null : clean(text);

    public override string ToString()
    {
        string cause = Cause == DiagnosticCause.None ? string.Empty : $" ({Cause})";
        return $"{Check} {Target}: {Status}{cause} - {Message}";
    }
}
