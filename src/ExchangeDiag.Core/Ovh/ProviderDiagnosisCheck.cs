using System;
using System.Diagnostics;
using System.Globalization;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Ovh;

/// <summary>
/// The provider's own server-side diagnosis of a mailbox (PROTOCOL-NOTES 1): POST with the
/// mailbox's password, poll the task, then read the eight answers. The provider logs in with the
/// password once, as the control panel does.
/// </summary>
public static class ProviderDiagnosisCheck
{
    /// <param name="maxWait">The longest the whole diagnosis may take, polling included.</param>
    public static Task<ProviderDiagnosisResult> RunAsync(OvhClient client, string emailAddress, SecureString password, string? organization, string? service, TimeSpan pollInterval, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var result = new ProviderDiagnosisResult(emailAddress) { Expected = "isSpammer, isSuspended, isLocked false; connectiveOWA, isMxValid, isSrvValid, canSendEmail, canReceiveEmail true" };
        return CheckRunner.RunAsync(result, maxWait, cancellationToken, async deadline =>
        {
            try
            {
                OvhExchangeLocation? location = await AccountStateCheck.LocateAsync(client, result, organization, service, deadline).ConfigureAwait(false);
                if (location == null)
                {
                    return;
                }

                var clock = Stopwatch.StartNew();
                long taskId = await client.StartDiagnosisAsync(location, emailAddress, password, deadline).ConfigureAwait(false);
                result.AddStep("Diagnosis started", CheckStatus.Passed, $"task {taskId}");
                string status = await PollAsync(client, location, emailAddress, taskId, pollInterval, deadline).ConfigureAwait(false);
                if (status != "done")
                {
                    result.AddStep("Diagnosis task", CheckStatus.Error, $"task {taskId} ended with status {status}", clock.Elapsed);
                    result.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, Texts.Ovh.Format("DiagnosisTaskFailed", emailAddress, status), Texts.Ovh["ApiRetryRemediation"]);
                    return;
                }

                result.AddStep("Diagnosis task", CheckStatus.Passed, $"task {taskId} done", clock.Elapsed);
                XElement? diagnosis = await client.GetDiagnosisAsync(location, emailAddress, deadline).ConfigureAwait(false);
                if (diagnosis == null)
                {
                    result.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, Texts.Ovh.Format("DiagnosisTaskFailed", emailAddress, Texts.Ovh["Diagnosis_DoneWithout"]), Texts.Ovh["ApiRetryRemediation"]);
                    return;
                }

                Read(diagnosis, result);
                Judge(result).ApplyTo(result, Texts.Ovh.Format("DiagnosisPassed", emailAddress));
            }
            catch (OvhApiException ex)
            {
                AccountStateCheck.ConcludeApiFailure(result, ex);
            }
        }, (r, elapsed) => r.Conclude(CheckStatus.Error, DiagnosticCause.ProviderApiFailed, Texts.Ovh.Format("DiagnosisTimedOut", maxWait.TotalSeconds), Texts.Ovh["DiagnosisTimedOutRemediation"]));
    }

    /// <summary>Polls the task until it leaves todo/doing; returns its last status.</summary>
    private static async Task<string> PollAsync(OvhClient client, OvhExchangeLocation location, string emailAddress, long taskId, TimeSpan pollInterval, CancellationToken deadline)
    {
        while (true)
        {
            await Task.Delay(pollInterval, deadline).ConfigureAwait(false);
            string status = await client.GetTaskStatusAsync(location, emailAddress, taskId, deadline).ConfigureAwait(false);
            if (status != "todo" && status != "doing")
            {
                return status;
            }
        }
    }

    private static void Read(XElement diagnosis, ProviderDiagnosisResult result)
    {
        result.IsSpammer = diagnosis.Bool("isSpammer");
        result.IsSuspended = diagnosis.Bool("isSuspended");
        result.IsLocked = diagnosis.Bool("isLocked");
        result.ConnectiveOwa = diagnosis.Bool("connectiveOWA");
        result.IsMxValid = diagnosis.Bool("isMxValid");
        result.IsSrvValid = diagnosis.Bool("isSrvValid");
        result.CanSendEmail = diagnosis.Bool("canSendEmail");
        result.CanReceiveEmail = diagnosis.Bool("canReceiveEmail");
        result.LastCheck = diagnosis.Date("lastCheck");
        result.Observed = string.Format(CultureInfo.InvariantCulture,
            "isSpammer {0}, isSuspended {1}, isLocked {2}, connectiveOWA {3}, isMxValid {4}, isSrvValid {5}, canSendEmail {6}, canReceiveEmail {7}",
            OvhJson.Literal(result.IsSpammer), OvhJson.Literal(result.IsSuspended), OvhJson.Literal(result.IsLocked), OvhJson.Literal(result.ConnectiveOwa),
            OvhJson.Literal(result.IsMxValid), OvhJson.Literal(result.IsSrvValid), OvhJson.Literal(result.CanSendEmail), OvhJson.Literal(result.CanReceiveEmail));
        result.AddStep("Provider diagnosis", CheckStatus.Passed, $"{result.LastCheck?.ToString("u", CultureInfo.InvariantCulture) ?? "?"}: {result.Observed}");
    }

    /// <summary>One finding per answer that is wrong, the account's own state first, as the notes' table maps them.</summary>
    private static Verdict Judge(ProviderDiagnosisResult result)
    {
        var verdict = new Verdict();
        string email = result.Target;
        Add(verdict, result.IsSuspended == true, DiagnosticCause.SubscriptionExpired, "DiagnosisSuspended", "RenewRemediation", email);
        Add(verdict, result.IsSpammer == true, DiagnosticCause.AccountBlockedForSpam, "DiagnosisSpammer", "SpamRemediationNoTicket", email);
        Add(verdict, result.IsLocked == true, DiagnosticCause.AccountLocked, "DiagnosisLocked", "DiagnosisLockedRemediation", email);
        Add(verdict, result.ConnectiveOwa == false, DiagnosticCause.WebmailAuthFailed, "DiagnosisOwa", "DiagnosisOwaRemediation", email);
        Add(verdict, result.IsMxValid == false, DiagnosticCause.MxInvalid, "DiagnosisMx", "DomainRemediation", email);
        Add(verdict, result.IsSrvValid == false, DiagnosticCause.SrvInvalid, "DiagnosisSrv", "DomainRemediation", email);
        Add(verdict, result.CanSendEmail == false, DiagnosticCause.SendFailed, "DiagnosisSend", "DiagnosisMailRemediation", email);
        Add(verdict, result.CanReceiveEmail == false, DiagnosticCause.ReceiveFailed, "DiagnosisReceive", "DiagnosisMailRemediation", email);
        return verdict;
    }

    private static void Add(Verdict verdict, bool wrong, DiagnosticCause cause, string messageKey, string remediationKey, string email)
    {
        if (wrong)
        {
            verdict.Add(CheckStatus.Failed, cause, Texts.Ovh.Format(messageKey, email), Texts.Ovh[remediationKey]);
        }
    }
}
