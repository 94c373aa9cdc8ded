using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.Checks;

/// <summary>Collects what a check found and turns the worst finding into the result's conclusion.</summary>
internal sealed class Verdict
{
    private readonly List<Finding> _findings = new List<Finding>();

    public IReadOnlyList<Finding> Findings => _findings;

    /// <param name="message">The finding in the UI culture: it becomes the Message, and a step that says what was found.</param>
    public void Add(CheckStatus status, DiagnosticCause cause, string message, string remediation)
        => _findings.Add(new Finding(status, cause, message, remediation));

    /// <summary>
    /// Records every finding as a step and concludes with the worst one. A known fault (Failed)
    /// outranks an unanswered question (Error): what is known to be wrong is what to fix first.
    /// </summary>
    public void ApplyTo(CheckResult result, string passMessage)
    {
        foreach (Finding finding in _findings)
        {
            result.AddStep("Finding", finding.Status, finding.Message);
        }

        if (_findings.Count == 0)
        {
            result.Conclude(CheckStatus.Passed, DiagnosticCause.None, passMessage, null);
            return;
        }

        // The first of the worst rank, as a stable sort would find it.
        Finding worst = _findings[0];
        foreach (Finding finding in _findings)
        {
            if (Rank(finding.Status) > Rank(worst.Status))
            {
                worst = finding;
            }
        }

        int others = _findings.Count(f => f != worst && f.Status != CheckStatus.Passed);
        string message = others == 0 ? worst.Message : Texts.Messages.Format("Verdict_MoreFindings", worst.Message.TrimEnd('.'), others);
        // A Warning keeps its cause, so that filtering on Cause finds what needs attention.
        result.Conclude(worst.Status, worst.Cause, message, worst.Remediation);
    }

    private static int Rank(CheckStatus status) => status switch
    {
        CheckStatus.Failed => 3,
        CheckStatus.Error => 2,
        CheckStatus.Warning => 1,
        _ => 0,
    };

    internal sealed class Finding
    {
        public Finding(CheckStatus status, DiagnosticCause cause, string message, string remediation)
        {
            Status = status;
            Cause = cause;
            Message = message;
            Remediation = remediation;
        }

        public CheckStatus Status { get; }

        public DiagnosticCause Cause { get; }

        public string Message { get; }

        public string Remediation { get; }
    }
}
