using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.Diagnosis;

/// <summary>Turns a diagnosis's results into its root causes, its status and its one-sentence verdict.</summary>
internal static class RootCauseAnalysis
{
    public static void Apply(DiagnosticReport report, IReadOnlyList<CheckResult> results)
        => Apply(report, results, RootCauseRules.All);

    public static void Apply(DiagnosticReport report, IReadOnlyList<CheckResult> results, IReadOnlyList<RootCauseRule> rules)
    {
        var causes = new List<RootCause>();
        foreach (RootCauseRule rule in rules)
        {
            // What an earlier (more likely) cause already explains is no evidence for a later one.
            List<CheckResult> evidence = results
                .Where(r => r.ExplainedBy == DiagnosticCause.None && (rule.ForDomainAuthentication || !RootCauseRules.IsDomainAuthentication(r)) && rule.IsEvidence(r))
                .ToList();
            if (evidence.Count == 0 || (rule.OnlyWhen != null && !rule.OnlyWhen(results)))
            {
                continue;
            }

            CheckResult first = evidence[0];
            string remediation = rule.RemediationFromEvidence && !string.IsNullOrEmpty(first.Remediation)
                ? first.Remediation!
                : Texts.Diagnosis[$"Fix_{rule.Cause}"];
            var cause = new RootCause(rule.Cause, Texts.Diagnosis.Format($"Cause_{rule.Cause}", first.Message), remediation)
            {
                Evidence = new SummaryList<string>(evidence.Concat(results.Where(r => rule.Supports?.Invoke(r) == true)).Select(Describe)),
            };
            Claim(cause, results.Where(r => r.ExplainedBy == DiagnosticCause.None && (evidence.Contains(r) || rule.Explains(r))));
            causes.Add(cause);
        }

        // Whatever no rule explains stands as a cause of its own, one per cause: nothing failing is hidden.
        foreach (IGrouping<DiagnosticCause, CheckResult> orphans in results.Where(r => r.ExplainedBy == DiagnosticCause.None && RootCauseRules.IsFailing(r)).GroupBy(r => r.Cause).ToList())
        {
            CheckResult first = orphans.First();
            var cause = new RootCause(first.Cause, first.Message, first.Remediation ?? string.Empty)
            {
                Evidence = new SummaryList<string>(orphans.Select(Describe)),
            };
            Claim(cause, orphans);
            causes.Add(cause);
        }

        report.Results = new SummaryList<CheckResult>(results);
        report.Causes = new SummaryList<RootCause>(causes);
        // A report whose faults are all this computer's could not diagnose the mailbox: Error, however
        // the checks it spoilt ended; a mailbox fault found beside them still makes it Failed. What only
        // the domain's mail authentication shows (SPF, DKIM, DMARC, blocklists, MTA-STS) is about its
        // mail's reputation, not the mailbox: at most a Warning, and never "could not diagnose".
        CheckStatus worst = Worst(results.Where(r => !RootCauseRules.CannotDiagnose(r.ExplainedBy)).Select(StatusForReport));
        bool cannotDiagnose = causes.Any(c => RootCauseRules.CannotDiagnose(c.Cause) && !OnlyDomainAuthentication(c, results));
        report.Status = cannotDiagnose && Rank(worst) < Rank(CheckStatus.Error) ? CheckStatus.Error : worst;
        report.Verdict = Verdict(report, results);
    }

    private static CheckStatus StatusForReport(CheckResult result)
        => RootCauseRules.IsDomainAuthentication(result) && Rank(result.Status) > Rank(CheckStatus.Warning) ? CheckStatus.Warning : result.Status;

    /// <summary>True when every result the cause explains is one of the domain's mail-authentication checks.</summary>
    private static bool OnlyDomainAuthentication(RootCause cause, IReadOnlyList<CheckResult> results)
        => results.Where(r => r.ExplainedBy == cause.Cause).All(RootCauseRules.IsDomainAuthentication);

    private static void Claim(RootCause cause, IEnumerable<CheckResult> results)
    {
        var explained = new List<string>();
        foreach (CheckResult result in results.ToList())
        {
            result.ExplainedBy = cause.Cause;
            explained.Add($"{result.Check} {result.Target}");
        }

        cause.Explains = new SummaryList<string>(explained);
    }

    // The status as the reports write it ("Échec"), not the enum's English name: the evidence is read, not parsed.
    private static string Describe(CheckResult result) => Texts.Diagnosis.Format("Evidence", result.Check, result.Target, Texts.Report["Status" + result.Status], result.Message);

    private static CheckStatus Worst(IEnumerable<CheckStatus> statuses)
        => statuses.OrderByDescending(Rank).DefaultIfEmpty(CheckStatus.Passed).First() is CheckStatus worst && worst != CheckStatus.Skipped
            ? worst
            : CheckStatus.Passed;

    /// <summary>A known fault outranks an unanswered question, as inside one check.</summary>
    private static int Rank(CheckStatus status) => status switch
    {
        CheckStatus.Failed => 4,
        CheckStatus.Error => 3,
        CheckStatus.Warning => 2,
        CheckStatus.Passed => 1,
        _ => 0,
    };

    private static string Verdict(DiagnosticReport report, IReadOnlyList<CheckResult> results)
    {
        if (report.Causes.Count == 0)
        {
            int ran = results.Count(r => r.Status != CheckStatus.Skipped);
            int warnings = results.Count(r => r.Status == CheckStatus.Warning);
            return warnings == 0
                ? Texts.Diagnosis.Format("Verdict_Healthy", ran)
                : Texts.Diagnosis.Format("Verdict_HealthyWithWarnings", ran, warnings);
        }

        RootCause first = report.Causes[0];
        string verdict = report.Causes.Count == 1
            ? first.Message
            : Texts.Diagnosis.Format("Verdict_MoreCauses", first.Message.TrimEnd('.'), report.Causes.Count - 1);
        return report.Causes.All(c => OnlyDomainAuthentication(c, results))
            ? Texts.Diagnosis.Format("Verdict_WorksButDomain", LowerFirst(verdict))
            : verdict;
    }

    private static string LowerFirst(string text)
        => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text.Substring(1) : text;
}
