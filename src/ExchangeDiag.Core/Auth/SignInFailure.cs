using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ExchangeDiag.Auth;

/// <summary>
/// Why Microsoft Entra ID gave no access token, as the checks conclude it: the AADSTS code of
/// its error answer names the cause (Microsoft's list of Entra ID error codes), the rest of its
/// first line is kept as the server's own words. Nothing here ever holds a token or a password.
/// </summary>
internal sealed class SignInFailure
{
    private static readonly Regex AadstsCode = new Regex(@"\bAADSTS(\d{5,7})\b", RegexOptions.CultureInvariant);

    /// <summary>The longest part of the identity provider's own words we repeat.</summary>
    private const int MaxDescription = 300;

    private SignInFailure(DiagnosticCause cause, int? code, string description, Phrase message)
    {
        Cause = cause;
        Code = code;
        Description = description;
        Message = message;
    }

    public DiagnosticCause Cause { get; }

    /// <summary>The AADSTS number, when the answer had one.</summary>
    public int? Code { get; }

    /// <summary>The first line of the identity provider's answer (without trace ids), printable and bounded.</summary>
    public string Description { get; }

    public Phrase Message { get; }

    /// <summary>A fact about the account itself (locked, disabled, expired): every other login of the run would meet it too.</summary>
    public bool AccountProblem => Cause == DiagnosticCause.AccountLocked || Cause == DiagnosticCause.AccountDisabled
        || Cause == DiagnosticCause.PasswordExpired || Cause == DiagnosticCause.MfaRequired
        || Cause == DiagnosticCause.ConditionalAccessBlocked || Cause == DiagnosticCause.WebmailAuthFailed;

    /// <summary>Failed for what is wrong with the account or the tenant's policy; Error when the sign-in itself could not be made.</summary>
    public CheckStatus Status => AccountProblem ? CheckStatus.Failed : CheckStatus.Error;

    public string Remediation => Texts.SignIn[Cause switch
    {
        DiagnosticCause.CheckFailed => "Fix_Unknown",
        _ => "Fix_" + Cause,
    }];

    /// <summary>The cause an AADSTS code names; codes not listed here are not known to us (CheckFailed, with Microsoft's words).</summary>
    internal static DiagnosticCause CauseOf(int code) => code switch
    {
        50053 => DiagnosticCause.AccountLocked,
        50055 or 50144 => DiagnosticCause.PasswordExpired,
        50057 => DiagnosticCause.AccountDisabled,
        50126 or 50034 => DiagnosticCause.WebmailAuthFailed,
        50072 or 50074 or 50076 or 50079 => DiagnosticCause.MfaRequired,
        53000 or 53001 or 53002 or 53003 or 53004 or 530032 => DiagnosticCause.ConditionalAccessBlocked,
        65001 or 65002 or 65004 or 90094 => DiagnosticCause.ConsentRequired,
        700016 or 700027 or 7000215 or 7000218 or 7000222 or 7000112 or 90002 or 900023 or 500011 or 700024 or 700025 or 50011 or 50105 or 50020
            => DiagnosticCause.AppRegistrationInvalid,
        70016 or 70019 or 70020 or 50058 => DiagnosticCause.SignInIncomplete,
        _ => DiagnosticCause.CheckFailed,
    };

    /// <summary>
    /// True for a code that states a fact about the account, the app or the tenant: a new sign-in by
    /// the person would meet it again. Others (multi-factor wanted again, a refresh token expired or
    /// revoked, a code we do not know) are settled by signing in again.
    /// </summary>
    internal static bool IsStanding(int? code)
    {
        if (code is not int known)
        {
            return false;
        }

        DiagnosticCause cause = CauseOf(known);
        return cause != DiagnosticCause.MfaRequired && cause != DiagnosticCause.SignInIncomplete && cause != DiagnosticCause.CheckFailed;
    }

    /// <summary>The AADSTS number in the first line of an answer, or null.</summary>
    internal static int? AadstsCodeIn(string? text)
    {
        Match match = AadstsCode.Match(FirstLine(text));
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    /// <summary>
    /// An error answer of the token or device-code endpoint: <paramref name="errorCode"/> is OAuth's
    /// "error" (invalid_grant...), <paramref name="description"/> Entra ID's error_description.
    /// </summary>
    public static SignInFailure FromIdentityProvider(string user, string? errorCode, string? description)
    {
        string text = FirstLine(description);
        int? code = AadstsCodeIn(text);
        DiagnosticCause cause = code is int known ? CauseOf(known) : DiagnosticCause.CheckFailed;
        if (text.Length == 0)
        {
            text = ServerText.Printable(errorCode ?? string.Empty);
        }

        string key = cause == DiagnosticCause.CheckFailed ? "Refused_Unknown" : "Refused_" + cause;
        return new SignInFailure(cause, code, text, new Phrase(Texts.SignIn, key, user, text));
    }

    /// <summary>The sign-in was not finished, for a reason of ours: cancelled, timed out, made as another account.</summary>
    public static SignInFailure Incomplete(Phrase why) => new SignInFailure(DiagnosticCause.SignInIncomplete, null, why.Trace, why);

    /// <summary>The identity provider could not be reached or answered garbage: nothing is known about the account.</summary>
    public static SignInFailure NoAnswer(Phrase why) => new SignInFailure(DiagnosticCause.Unreachable, null, why.Trace, why);

    /// <summary>Concludes a check whose login needed this token: the server itself was never contacted.</summary>
    public void Conclude(CheckResult result)
    {
        string code = Code is int n ? "AADSTS" + n.ToString(CultureInfo.InvariantCulture) + ": " : string.Empty;
        result.AddStep("Sign-in", Status, code.Length > 0 && Description.StartsWith(code, StringComparison.Ordinal) ? Description : code + Description);
        result.CredentialRefused = AccountProblem;
        result.Conclude(Status, Cause, Message.ToString(), Cause == DiagnosticCause.Unreachable ? Texts.SignIn["Fix_Unreachable"] : Remediation);
    }

    /// <summary>The first line of Entra ID's description: its next lines are trace and correlation ids, and a timestamp.</summary>
    internal static string FirstLineOf(string? description) => FirstLine(description);

    private static string FirstLine(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return string.Empty;
        }

        string first = description!.Split(new[] { '\r', '\n' }, 2)[0].Trim();
        if (first.Length > MaxDescription)
        {
            first = first.Substring(0, MaxDescription) + "...";
        }

        return ServerText.Printable(first);
    }
}

/// <summary>A token could not be had: the check concludes from <see cref="Failure"/> without contacting its server.</summary>
internal sealed class SignInException : Exception
{
    public SignInException(SignInFailure failure)
        : base(failure.Description)
    {
        Failure = failure;
    }

    public SignInFailure Failure { get; }
}
