using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Auth;
using ExchangeDiag.Http;

namespace ExchangeDiag.Checks;

/// <summary>
/// The forms-based OWA login of Exchange 2013 and later (PROTOCOL-NOTES 2). A refused login is
/// followed by one EWS request, the only second attempt, to tell a locked account from a wrong
/// password; nothing is ever retried otherwise, so a diagnosis cannot lock an account.
/// </summary>
public static class OwaLoginCheck
{
    private const string CurrentPath = "owa/auth.owa";
    private const string LegacyPath = "owa/auth/owaauth.dll";

    /// <param name="owaUrl">The OWA address, such as https://ex4.mail.ovh.net/owa/.</param>
    public static Task<OwaLoginResult> RunAsync(Uri owaUrl, MailboxLogin login, HttpSession http, TimeSpan timeout, CancellationToken stop)
    {
        var result = new OwaLoginResult(owaUrl.ToString()) { Expected = Texts.Messages["OwaLogin_Expected"] };
        return WebCheck.RunAsync(result, timeout, stop, async deadline =>
        {
            Uri server = WebCheck.BaseOf(owaUrl);
            if (login.Method == AuthMethod.OAuth)
            {
                await SignInAsync(http, server, login, result, deadline).ConfigureAwait(false);
                return;
            }

            if (ExchangeOnline.IsHost(server.Host))
            {
                // Exchange Online's webmail signs in at Entra ID: its OWA takes no posted password.
                result.Outcome = OwaLoginOutcome.InvalidCredentials;
                ExchangeOnline.ConcludeBasicRetired(result, server.Host, login.UserName);
                return;
            }

            NetworkCredential credential = login.Password;
            Uri form = new Uri(server, CurrentPath);
            HttpExchange exchange = await PostFormAsync(http, form, owaUrl, credential, result, deadline).ConfigureAwait(false);
            if (exchange.StatusCode == 404)
            {
                // A 404 checked no credentials: Exchange 2007 takes the form only at the older path (2010 and later post to auth.owa).
                result.AddStep("OWA path", CheckStatus.Passed, $"{CurrentPath} answered 404; posting to {LegacyPath} as Exchange 2007 expects");
                exchange.Dispose();
                form = new Uri(server, LegacyPath);
                exchange = await PostFormAsync(http, form, owaUrl, credential, result, deadline).ConfigureAwait(false);
            }

            using (exchange)
            {
                if (exchange.Response == null)
                {
                    result.Outcome = OwaLoginOutcome.Unreachable;
                    WebCheck.ConcludeNoAnswer(result, exchange, form);
                    return;
                }

                result.ExchangeVersion = Header(exchange.Response, "X-OWA-Version");
                result.FrontEndServer = Header(exchange.Response, "X-FEServer");
                result.Observed = exchange.Said.ToString();
                OwaLoginOutcome outcome = ClassifyWithEvidence(exchange.Response, owaUrl, out Phrase evidence);
                result.AddStep("OWA answer", outcome == OwaLoginOutcome.Success ? CheckStatus.Passed : CheckStatus.Failed, evidence.Trace);
                if (outcome == OwaLoginOutcome.InvalidCredentials)
                {
                    outcome = await CorroborateAsync(http, server, credential, result, deadline).ConfigureAwait(false);
                }

                Conclude(result, outcome, credential.UserName, evidence.ToString());
            }
        });
    }

    /// <summary>Reads the login's outcome from OWA's answer; <paramref name="evidence"/> says what decided it, in English.</summary>
    internal static OwaLoginOutcome Classify(HttpResponseMessage response, Uri destination, out string evidence)
    {
        OwaLoginOutcome outcome = ClassifyWithEvidence(response, destination, out Phrase phrase);
        evidence = phrase.Trace;
        return outcome;
    }

    /// <summary>Reads the login's outcome from OWA's answer; <paramref name="evidence"/> says what decided it, in any language.</summary>
    internal static OwaLoginOutcome ClassifyWithEvidence(HttpResponseMessage response, Uri destination, out Phrase evidence)
    {
        int status = (int)response.StatusCode;
        bool looksLikeOwa = Header(response, "X-OWA-Version") != null || Header(response, "X-FEServer") != null;
        Uri? location = response.Headers.Location == null ? null : new Uri(response.RequestMessage?.RequestUri ?? destination, response.Headers.Location);
        if (status >= 300 && status < 400 && location != null)
        {
            string path = location.AbsolutePath;
            if (path.EndsWith("/expiredpassword.aspx", StringComparison.OrdinalIgnoreCase))
            {
                evidence = new Phrase(Texts.Messages, "OwaEvidence_Expired", path);
                return OwaLoginOutcome.PasswordExpired;
            }

            if (path.EndsWith("/logon.aspx", StringComparison.OrdinalIgnoreCase))
            {
                string? reason = QueryValue(location, "reason");
                evidence = reason == null
                    ? new Phrase(Texts.Messages, "OwaEvidence_LogonPage", new Phrase(Texts.Messages, "OwaEvidence_NoReason"))
                    : new Phrase(Texts.Messages, "OwaEvidence_LogonPage", reason);
                return reason switch
                {
                    "2" => OwaLoginOutcome.InvalidCredentials,
                    "5" or "6" => OwaLoginOutcome.BlockedByAccessRule,
                    _ => OwaLoginOutcome.ServerError,
                };
            }

            bool toDestination = string.Equals(location.AbsolutePath.TrimEnd('/'), destination.AbsolutePath.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
            if (toDestination && HasSessionCookie(response))
            {
                evidence = new Phrase(Texts.Messages, "OwaEvidence_Success", location.AbsolutePath);
                return OwaLoginOutcome.Success;
            }

            evidence = toDestination
                ? new Phrase(Texts.Messages, "OwaEvidence_NoCookie", location.AbsolutePath)
                : new Phrase(Texts.Messages, "OwaEvidence_Elsewhere", location);
            return toDestination && looksLikeOwa ? OwaLoginOutcome.ServerError : OwaLoginOutcome.NotExchange;
        }

        if (status == 440 || (status >= 500 && looksLikeOwa))
        {
            evidence = new Phrase(Texts.Messages, "OwaEvidence_Status", status, response.ReasonPhrase);
            return OwaLoginOutcome.ServerError;
        }

        evidence = new Phrase(Texts.Messages, looksLikeOwa ? "OwaEvidence_NoRedirect" : "OwaEvidence_NoRedirectNoHeader", status, response.ReasonPhrase);
        return OwaLoginOutcome.NotExchange;
    }

    /// <summary>
    /// Exchange Online's webmail has no forms login: it signs in at Microsoft Entra ID. With OAuth the
    /// check is that sign-in, then one EWS request with the token at the same server, which tells
    /// whether Exchange takes it (the only request to the server, as with a password).
    /// </summary>
    private static async Task SignInAsync(HttpSession http, Uri server, MailboxLogin login, OwaLoginResult result, CancellationToken cancellationToken)
    {
        LoginProof? proof = await login.ProveAsync(MailProtocol.Ews, server.Host, result, cancellationToken).ConfigureAwait(false);
        if (proof == null)
        {
            result.Outcome = result.CredentialRefused ? OwaLoginOutcome.InvalidCredentials : OwaLoginOutcome.ServerError;
            return;
        }

        Uri ews = new Uri(server, "EWS/Exchange.asmx");
        EwsProbeResult probe = await EwsProbe.SendAsync(http, ews, proof.HttpAuthorization, result, cancellationToken, proof.Impersonated).ConfigureAwait(false);
        result.FrontEndServer = probe.FrontEndServer;
        result.Observed = probe.Said.ToString();
        switch (probe.Answer)
        {
            case EwsAnswer.Success:
                result.Outcome = OwaLoginOutcome.Success;
                result.Conclude(CheckStatus.Passed, DiagnosticCause.None, Texts.SignIn.Format("OwaSignedIn", login.UserName, server.Host), null);
                break;
            case EwsAnswer.TokenRefused:
                result.Outcome = OwaLoginOutcome.InvalidCredentials;
                result.Conclude(CheckStatus.Failed, DiagnosticCause.TokenRefused, Texts.SignIn.Format("TokenRefused", server.Host, login.UserName, probe.Said), Texts.SignIn["Fix_TokenRefused"]);
                break;
            case EwsAnswer.Locked:
            case EwsAnswer.LockedOrMfaRequired:
                Conclude(result, OwaLoginOutcome.AccountLocked, login.UserName, probe.Said.ToString());
                break;
            case EwsAnswer.NoAnswer:
                result.Outcome = OwaLoginOutcome.Unreachable;
                WebCheck.ConcludeNoAnswer(result, probe.Failure, probe.Said, probe.Certificate, ews);
                break;
            case EwsAnswer.ServerError:
                Conclude(result, OwaLoginOutcome.ServerError, login.UserName, probe.Said.ToString());
                break;
            default:
                Conclude(result, OwaLoginOutcome.NotExchange, login.UserName, probe.Said.ToString());
                break;
        }
    }

    private static async Task<OwaLoginOutcome> CorroborateAsync(HttpSession http, Uri server, NetworkCredential credential, OwaLoginResult result, CancellationToken cancellationToken)
    {
        result.AddStep("EWS corroboration", CheckStatus.Passed,
            "OWA refused the login; one EWS request (the only second attempt, never repeated) tells a locked account from a wrong password");
        EwsProbeResult probe = await EwsProbe.SendAsync(http, new Uri(server, "EWS/Exchange.asmx"), EwsProbe.BasicAuthorization(credential), result, cancellationToken).ConfigureAwait(false);
        switch (probe.Answer)
        {
            case EwsAnswer.Locked:
                result.AddStep("EWS verdict", CheckStatus.Failed, "EWS says the account is locked out");
                return OwaLoginOutcome.AccountLocked;
            case EwsAnswer.LockedOrMfaRequired:
                result.AddStep("EWS verdict", CheckStatus.Failed, "EWS answered 456: the account is locked or multi-factor authentication is required");
                return OwaLoginOutcome.AccountLocked;
            case EwsAnswer.Unauthorized:
                result.AddStep("EWS verdict", CheckStatus.Failed, "EWS refused the credentials too: the password (or user name) is wrong, or it has expired (EWS answers both alike)");
                return OwaLoginOutcome.InvalidCredentials;
            case EwsAnswer.Success:
                result.AddStep("EWS verdict", CheckStatus.Warning, "EWS accepted the same credentials: the password is right, OWA refuses it");
                result.OwaRefusedValidCredentials = true;
                return OwaLoginOutcome.InvalidCredentials;
            default:
                result.AddStep("EWS verdict", CheckStatus.Warning, $"EWS could not settle it ({probe.Detail}); OWA's answer stands");
                return OwaLoginOutcome.InvalidCredentials;
        }
    }

    private static void Conclude(OwaLoginResult result, OwaLoginOutcome outcome, string user, string evidence)
    {
        result.Outcome = outcome;
        // When EWS accepted the same password, it is right: the other logins may still be tried.
        result.CredentialRefused = (outcome == OwaLoginOutcome.InvalidCredentials && !result.OwaRefusedValidCredentials) || outcome == OwaLoginOutcome.AccountLocked;
        string host = new Uri(result.Url).Host;
        switch (outcome)
        {
            case OwaLoginOutcome.Success:
                string message = result.ExchangeVersion == null
                    ? Texts.Messages.Format("OwaLogin_Success", user, host)
                    : Texts.Messages.Format("OwaLogin_SuccessWithVersion", user, host, result.ExchangeVersion);
                result.Conclude(CheckStatus.Passed, DiagnosticCause.None, message, null);
                break;
            case OwaLoginOutcome.InvalidCredentials when result.OwaRefusedValidCredentials:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed,
                    Texts.Messages.Format("OwaLogin_RefusedValidCredentials", host, user, evidence),
                    Texts.Messages["OwaLogin_RefusedValidCredentials_Remediation"]);
                break;
            case OwaLoginOutcome.InvalidCredentials:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed,
                    Texts.Messages.Format("OwaLogin_InvalidCredentials", host, user, evidence),
                    Advice.WrongPassword);
                break;
            case OwaLoginOutcome.AccountLocked:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.AccountLocked,
                    Texts.Messages.Format("OwaLogin_AccountLocked", user),
                    Advice.Locked);
                break;
            case OwaLoginOutcome.PasswordExpired:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.PasswordExpired,
                    Texts.Messages.Format("OwaLogin_PasswordExpired", user),
                    Texts.Messages.Format("OwaLogin_PasswordExpired_Remediation", host));
                break;
            case OwaLoginOutcome.BlockedByAccessRule:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.AccessRuleBlocked,
                    Texts.Messages.Format("OwaLogin_BlockedByAccessRule", user, host, evidence),
                    Texts.Messages["OwaLogin_BlockedByAccessRule_Remediation"]);
                break;
            case OwaLoginOutcome.ServerError:
                result.Conclude(CheckStatus.Error, DiagnosticCause.ServerError,
                    Texts.Messages.Format("OwaLogin_ServerError", host, evidence),
                    Advice.ServerError);
                break;
            default:
                result.Conclude(CheckStatus.Failed, DiagnosticCause.NotExchange,
                    Texts.Messages.Format("OwaLogin_NotExchange", host, evidence),
                    Advice.NotExchange);
                break;
        }
    }

    private static async Task<HttpExchange> PostFormAsync(HttpSession http, Uri form, Uri destination, NetworkCredential credential, CheckResult result, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>
        {
            ["destination"] = destination.ToString(),
            ["flags"] = "4",
            ["forcedownlevel"] = "0",
            ["username"] = credential.UserName,
            ["password"] = credential.Password,
            ["passwordText"] = string.Empty,
            ["isUtf8"] = "1",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, form) { Content = new FormUrlEncodedContent(fields) };
        return await http.SendAsync(request, result, cancellationToken).ConfigureAwait(false);
    }

    private static bool HasSessionCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? cookies))
        {
            return false;
        }

        // A failed login also sends cadata, with an empty value, to delete it.
        return cookies.Any(cookie =>
        {
            int equals = cookie.IndexOf('=');
            if (equals < 0 || !string.Equals(cookie.Substring(0, equals).Trim(), "cadata", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            int end = cookie.IndexOf(';');
            string value = (end < 0 ? cookie.Substring(equals + 1) : cookie.Substring(equals + 1, end - equals - 1)).Trim();
            return value.Length > 0;
        });
    }

    private static string? QueryValue(Uri uri, string name)
    {
        foreach (string pair in uri.Query.TrimStart('?').Split('&'))
        {
            int equals = pair.IndexOf('=');
            string key = equals < 0 ? pair : pair.Substring(0, equals);
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(equals + 1));
            }
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
}
