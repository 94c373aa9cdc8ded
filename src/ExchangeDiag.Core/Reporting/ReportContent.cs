using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.Reporting;

/// <summary>What every human-readable format shows, decided once so HTML and Markdown agree.</summary>
internal static class ReportContent
{
    /// <summary>
    /// What to do, most important first: each root cause's remediation; without root causes, the
    /// remediation of each result that did not pass. Repeated advice is given once.
    /// </summary>
    public static IReadOnlyList<string> Remediations(DiagnosticReport report)
    {
        IEnumerable<string?> advice = report.Causes.Count > 0
            ? report.Causes.Select(c => c.Remediation)
            : report.Results.Where(r => r.Status != CheckStatus.Passed).Select(r => r.Remediation);
        return advice.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A check's trace is opened on screen when the check did not pass: that is where the reader looks.</summary>
    public static bool OpenTrace(CheckResult result) => result.Status != CheckStatus.Passed;

    /// <summary>The provider's eight answers, under the names of its API (OVHcloud's exchangeAccountDiagnosis).</summary>
    public static IEnumerable<KeyValuePair<string, bool?>> ProviderAnswers(ProviderDiagnosisResult diagnosis) => new[]
    {
        new KeyValuePair<string, bool?>(nameof(diagnosis.IsSpammer), diagnosis.IsSpammer),
        new KeyValuePair<string, bool?>(nameof(diagnosis.IsSuspended), diagnosis.IsSuspended),
        new KeyValuePair<string, bool?>(nameof(diagnosis.IsLocked), diagnosis.IsLocked),
        new KeyValuePair<string, bool?>(nameof(diagnosis.ConnectiveOwa), diagnosis.ConnectiveOwa),
        new KeyValuePair<string, bool?>(nameof(diagnosis.IsMxValid), diagnosis.IsMxValid),
        new KeyValuePair<string, bool?>(nameof(diagnosis.IsSrvValid), diagnosis.IsSrvValid),
        new KeyValuePair<string, bool?>(nameof(diagnosis.CanSendEmail), diagnosis.CanSendEmail),
        new KeyValuePair<string, bool?>(nameof(diagnosis.CanReceiveEmail), diagnosis.CanReceiveEmail),
    };
}
