using System;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Auth;
using ExchangeDiag.Http;

namespace ExchangeDiag.Checks;

/// <summary>An authenticated EWS request, the way Outlook and phones reach a mailbox.</summary>
public static class EwsLoginCheck
{
    public static Task<EwsLoginResult> RunAsync(Uri ewsUrl, MailboxLogin login, HttpSession http, TimeSpan timeout, CancellationToken stop)
    {
        var result = new EwsLoginResult(ewsUrl.ToString()) { Expected = Texts.Messages["Expected_Ews"] };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            LoginProof? proof = await login.ProveAsync(MailProtocol.Ews, ewsUrl.Host, result, deadline).ConfigureAwait(false);
            if (proof == null)
            {
                return;
            }

            EwsProbeResult probe = await EwsProbe.SendAsync(http, ewsUrl, proof.HttpAuthorization, result, deadline, proof.Impersonated).ConfigureAwait(false);
            result.ServerVersion = probe.ServerVersion;
            result.FrontEndServer = probe.FrontEndServer;
            result.BackEndServer = probe.BackEndServer;
            result.StatusCode = probe.StatusCode;
            result.Observed = probe.Said.ToString();
            result.CredentialRefused = probe.Answer == EwsAnswer.Unauthorized || probe.Answer == EwsAnswer.Locked || probe.Answer == EwsAnswer.LockedOrMfaRequired;
            string user = login.UserName;
            switch (probe.Answer)
            {
                case EwsAnswer.Success:
                    result.Conclude(CheckStatus.Passed, DiagnosticCause.None, Texts.Messages.Format("EwsLogin_Success", user, probe.ServerVersion), null);
                    break;
                case EwsAnswer.Locked:
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.AccountLocked,
                        Texts.Messages.Format("EwsLogin_AccountLocked", user),
                        Advice.Locked);
                    break;
                case EwsAnswer.LockedOrMfaRequired:
                    result.AddStep("Account state", CheckStatus.Failed, probe.Detail);
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.AccountLocked,
                        Texts.Messages.Format("EwsLogin_LockedOrMfa", user),
                        Texts.Messages["EwsLogin_LockedOrMfa_Remediation"]);
                    break;
                case EwsAnswer.Unauthorized:
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed,
                        Texts.Messages.Format("EwsLogin_InvalidCredentials", user),
                        Advice.WrongPassword);
                    break;
                case EwsAnswer.TokenRefused:
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.TokenRefused,
                        Texts.SignIn.Format("TokenRefused", ewsUrl.Host, user, probe.Said),
                        Texts.SignIn["Fix_TokenRefused"]);
                    break;
                case EwsAnswer.ServerError:
                    result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError,
                        Texts.Messages.Format("EwsLogin_ServerError", ewsUrl.Host, probe.Said),
                        Advice.ServerError);
                    break;
                case EwsAnswer.NotEws:
                    result.Conclude(CheckStatus.Failed, DiagnosticCause.NotExchange,
                        Texts.Messages.Format("EwsLogin_NotExchange", ewsUrl.Host, probe.Said),
                        Advice.NotExchange);
                    break;
                default:
                    WebCheck.ConcludeNoAnswer(result, probe.Failure, probe.Said, probe.Certificate, ewsUrl);
                    break;
            }
        });
    }
}
