using System;
using System.Collections.Generic;
using System.Linq;

namespace ExchangeDiag.Diagnosis;

/// <summary>Sets the provider's eight answers beside our own results and notes where they disagree.</summary>
internal static class ProviderComparison
{
    public static void FlagDisagreements(ProviderDiagnosisResult provider, DiagnosticReport report)
    {
        if (provider.Status == CheckStatus.Skipped || provider.Status == CheckStatus.Error)
        {
            return;
        }

        var disagreements = new List<string>();
        foreach ((string field, bool? theirs, bool? ours) in Pairs(provider, report))
        {
            if (theirs.HasValue && ours.HasValue && theirs != ours)
            {
                disagreements.Add(Texts.Diagnosis.Format("Provider_Disagrees", field, Ovh.OvhJson.Literal(theirs), Ovh.OvhJson.Literal(ours)));
            }
        }

        provider.Disagreements = new SummaryList<string>(disagreements);
        if (disagreements.Count > 0)
        {
            provider.AddStep("Comparison", CheckStatus.Warning, string.Join("; ", disagreements));
        }
    }

    /// <summary>Each field of the provider's diagnosis, its answer, and ours (null where we did not check).</summary>
    private static IEnumerable<(string Field, bool? Theirs, bool? Ours)> Pairs(ProviderDiagnosisResult provider, DiagnosticReport report)
    {
        bool HasCause(DiagnosticCause cause) => report.Causes.Any(c => c.Cause == cause);
        bool? Ran<T>(Func<T, bool> works)
            where T : CheckResult
        {
            T? result = report.Results.OfType<T>().FirstOrDefault();
            return result == null || result.Status == CheckStatus.Skipped ? null : works(result);
        }

        yield return ("isSpammer", provider.IsSpammer, HasCause(DiagnosticCause.AccountBlockedForSpam));
        yield return ("isSuspended", provider.IsSuspended, HasCause(DiagnosticCause.SubscriptionExpired));
        yield return ("isLocked", provider.IsLocked, HasCause(DiagnosticCause.AccountLocked));
        yield return ("connectiveOWA", provider.ConnectiveOwa, Ran<OwaLoginResult>(r => r.Passed));
        yield return ("isMxValid", provider.IsMxValid, Ran<MxCheckResult>(r => r.Passed));
        yield return ("isSrvValid", provider.IsSrvValid, Ran<SrvCheckResult>(r => r.Passed));
        yield return ("canSendEmail", provider.CanSendEmail, Ran<SmtpSendResult>(r => r.Passed));
        yield return ("canReceiveEmail", provider.CanReceiveEmail, Ran<MailFlowResult>(flow => flow.Delivered));
    }
}
