using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Auth;
using ExchangeDiag.Dns;
using ExchangeDiag.Mail;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>Microsoft Entra ID's error answers, as its token endpoint sends them, and the causes they name.</summary>
public class SignInFailureTests
{
    private const string User = "adele@contoso.com";

    [Theory]
    [InlineData("invalid_grant", "AADSTS50057: The user account is disabled.\r\nTrace ID: 0d4b1f6e-7a0c-4e8f-9a11-2c0a6b7d5e00\r\nCorrelation ID: 7f3e2c1a-0b9d-4c8e-8f7a-6b5c4d3e2f10\r\nTimestamp: 2026-12-06 17:02:11Z", DiagnosticCause.AccountDisabled, CheckStatus.Failed)]
    [InlineData("invalid_grant", "AADSTS50055: The password is expired.", DiagnosticCause.PasswordExpired, CheckStatus.Failed)]
    [InlineData("invalid_grant", "AADSTS50053: The account is locked, you've tried to sign in too many times with an incorrect user ID or password.", DiagnosticCause.AccountLocked, CheckStatus.Failed)]
    [InlineData("invalid_grant", "AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.", DiagnosticCause.ConditionalAccessBlocked, CheckStatus.Failed)]
    [InlineData("interaction_required", "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.", DiagnosticCause.MfaRequired, CheckStatus.Failed)]
    [InlineData("invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application with ID '9c4d0d3e-6b55-4f5a-8a53-1e2f3a4b5c6d' named 'lab public client'.", DiagnosticCause.ConsentRequired, CheckStatus.Error)]
    [InlineData("unauthorized_client", "AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso'.", DiagnosticCause.AppRegistrationInvalid, CheckStatus.Error)]
    [InlineData("invalid_client", "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.", DiagnosticCause.AppRegistrationInvalid, CheckStatus.Error)]
    [InlineData("invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", DiagnosticCause.AppRegistrationInvalid, CheckStatus.Error)]
    [InlineData("invalid_request", "AADSTS90002: Tenant 'nowhere.example' not found.", DiagnosticCause.AppRegistrationInvalid, CheckStatus.Error)]
    [InlineData("expired_token", "AADSTS70019: Verification code expired.", DiagnosticCause.SignInIncomplete, CheckStatus.Error)]
    [InlineData("invalid_grant", "AADSTS12345: Something Entra ID says that we do not know.", DiagnosticCause.CheckFailed, CheckStatus.Error)]
    [InlineData("server_error", "", DiagnosticCause.CheckFailed, CheckStatus.Error)]
    public void TheAadstsCodeNamesTheCause(string error, string description, DiagnosticCause cause, CheckStatus status)
    {
        SignInFailure failure = SignInFailure.FromIdentityProvider(User, error, description);

        Assert.Equal(cause, failure.Cause);
        Assert.Equal(status, failure.Status);
        Assert.DoesNotContain("Trace ID", failure.Description);
        Assert.Contains(description.Length == 0 ? error : description.Split('\r')[0], failure.Message.In(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void AConcludedCheckSaysWhatEntraIdSaidAndNeverContactedTheServer()
    {
        var result = new EwsLoginResult("https://outlook.office365.com/EWS/Exchange.asmx");
        SignInFailure.FromIdentityProvider(User, "invalid_grant", "AADSTS50057: The user account is disabled.").Conclude(result);

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.AccountDisabled, result.Cause);
        Assert.True(result.CredentialRefused);
        CheckStep step = Assert.Single(result.Steps);
        Assert.Equal("Sign-in", step.Name);
        Assert.StartsWith("AADSTS50057", step.Detail);
    }

    [Fact]
    public void AHostileDescriptionIsBoundedAndPrintable()
    {
        string description = "AADSTS50057: " + new string('x', 5000) + "\u001b[31m";
        SignInFailure failure = SignInFailure.FromIdentityProvider(User, "invalid_grant", description);

        Assert.True(failure.Description.Length < 400);
        Assert.DoesNotContain('\u001b', failure.Description);
    }

    [Fact]
    public void AppSetupProblemsCannotDiagnoseTheMailbox()
    {
        Assert.True(Diagnosis.RootCauseRules.CannotDiagnose(DiagnosticCause.AppRegistrationInvalid));
        Assert.True(Diagnosis.RootCauseRules.CannotDiagnose(DiagnosticCause.SignInIncomplete));
        Assert.False(Diagnosis.RootCauseRules.CannotDiagnose(DiagnosticCause.AccountDisabled));
    }

    [Theory]
    [InlineData("outlook.office365.com", true)]
    [InlineData("autodiscover-s.outlook.com", true)]
    [InlineData("outlook.office.com", true)]
    [InlineData("autodiscover.contoso.com", false)]
    [InlineData("contoso.com", false)]
    [InlineData("evil-outlook.com", false)]
    [InlineData("outlook.com.evil.example", false)]
    public void ATokenGoesOnlyToExchangeOnlineHosts(string host, bool sent)
        => Assert.Equal(sent, ExchangeOnline.IsHost(host));

    [Fact]
    public async Task APasswordIsNeverSentToExchangeOnlinesImapOrEwsButStillToItsSmtp()
    {
        // No DNS server answers on port 9 and nothing listens: a check that tried to connect says so in its steps.
        using var dns = new DnsQuerier(new List<IPEndPoint> { new IPEndPoint(IPAddress.Loopback, 9) }, TimeSpan.FromSeconds(1), null, CancellationToken.None);
        var password = new NetworkCredential(User, "Correct-Horse-1");
        ImapLoginResult imap = await ImapLoginCheck.RunAsync("outlook.office365.com", 993, MailSecurity.Auto, password, false, dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        using var http = new Http.HttpSession(dns, false, _ => { });
        EwsLoginResult ews = await Checks.EwsLoginCheck.RunAsync(new Uri("https://outlook.office365.com/EWS/Exchange.asmx"), password, http, TimeSpan.FromSeconds(5), CancellationToken.None);

        foreach (CheckResult result in new CheckResult[] { imap, ews })
        {
            Assert.Equal(DiagnosticCause.BasicAuthDisabled, result.Cause);
            Assert.Equal(CheckStatus.Error, result.Status);
            Assert.False(result.CredentialRefused);
            Assert.DoesNotContain(result.Steps, s => s.Name.StartsWith("TCP", StringComparison.Ordinal) || s.Name.StartsWith("DNS", StringComparison.Ordinal) || s.Name.StartsWith("HTTP", StringComparison.Ordinal));
        }

        // SMTP AUTH keeps its password where the tenant allows it (MC786329): the one attempt is made.
        SmtpSendResult smtp = await SmtpSendCheck.RunAsync(new SmtpSendRequest("smtp.office365.com", 587, password, User, User), dns, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotEqual(DiagnosticCause.BasicAuthDisabled, smtp.Cause);
    }

    [Theory]
    [InlineData(50057, true)]
    [InlineData(50053, true)]
    [InlineData(65001, true)]
    [InlineData(700016, true)]
    [InlineData(50076, false)]
    [InlineData(700082, false)]
    [InlineData(50173, false)]
    [InlineData(null, false)]
    public void OnlyStandingFactsEndASilentSignInWithoutAskingThePersonAgain(int? code, bool standing)
        => Assert.Equal(standing, SignInFailure.IsStanding(code));
}
