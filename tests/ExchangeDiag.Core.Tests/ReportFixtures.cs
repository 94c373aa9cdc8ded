using System;
using ExchangeDiag.Mail;

namespace ExchangeDiag.Tests;

/// <summary>Diagnoses built by hand, as Invoke-ExchangeDiagnostic would return them, for the report writers.</summary>
internal static class ReportFixtures
{
    public const string HostileMessage = "The server said <script>alert('x')</script> & left | a pipe";

    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 28, 9, 15, 30, TimeSpan.FromHours(1));

    /// <summary>A mailbox whose password is wrong: one root cause explaining failed logins, a skipped mail flow.</summary>
    public static DiagnosticReport WrongPassword()
    {
        var report = new DiagnosticReport("healthy@lab.test", "lab.test")
        {
            Provider = MailProvider.OvhEurope,
            ExchangeServer = "ex4.lab.test",
            Status = CheckStatus.Failed,
            Verdict = "The password is wrong: every protocol refused it.",
            StartTime = Start,
            Duration = TimeSpan.FromMilliseconds(4321.5),
            ModuleVersion = "0.1.0",
            Culture = "en-US",
        };

        var cause = new RootCause(DiagnosticCause.WrongPassword, "Every protocol refused the credential.", "Reset the mailbox password in the control panel, then update it on every device.");
        cause.Evidence.Add("OwaLogin https://ex4.lab.test/owa/: logon.aspx?reason=2");
        cause.Evidence.Add("SmtpSend ex4.lab.test:587: 535 5.7.3 Authentication unsuccessful");
        cause.Explains.Add("OwaLogin https://ex4.lab.test/owa/");
        cause.Explains.Add("SmtpSend ex4.lab.test:587");
        report.Causes.Add(cause);

        report.Results.Add(Mx());

        var owa = new OwaLoginResult("https://ex4.lab.test/owa/") { Outcome = OwaLoginOutcome.InvalidCredentials, ExchangeVersion = "15.1.2507.6", CredentialRefused = true, ExplainedBy = DiagnosticCause.WrongPassword };
        owa.AddStep("POST /owa/auth.owa", CheckStatus.Failed, "302 to /owa/auth/logon.aspx?reason=2", TimeSpan.FromMilliseconds(120));
        owa.AddStep("EWS GetFolder", CheckStatus.Failed, "401 Unauthorized", TimeSpan.FromMilliseconds(80));
        owa.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed, HostileMessage, "Check the password.");
        owa.Duration = TimeSpan.FromMilliseconds(210);
        report.Results.Add(owa);

        var send = new SmtpSendResult("ex4.lab.test", 587) { From = "healthy@lab.test", To = "healthy@lab.test", CredentialRefused = true, ServerReply = new SmtpReply(535, "5.7.3 Authentication unsuccessful") };
        send.AuthMechanisms.Add("LOGIN");
        send.AuthMechanisms.Add("PLAIN");
        send.AddStep("AUTH LOGIN", CheckStatus.Failed, "C: AUTH LOGIN ********\nS: 535 5.7.3 Authentication unsuccessful", TimeSpan.FromMilliseconds(2100));
        send.Conclude(CheckStatus.Failed, DiagnosticCause.AuthenticationFailed, "The server refused the credential: 535 5.7.3 Authentication unsuccessful.", "Check the password.");
        send.Duration = TimeSpan.FromMilliseconds(2300);
        report.Results.Add(send);

        var flow = new MailFlowResult("healthy@lab.test") { SendResult = send };
        flow.AddStep("Skipped", CheckStatus.Skipped, "The credential was refused earlier in this run.");
        flow.Conclude(CheckStatus.Skipped, DiagnosticCause.None, "Not tried: the credential was refused earlier in this run.", null);
        report.Results.Add(flow);

        var certificate = new CertificateResult("ex4.lab.test", 443, StartTlsMode.None)
        {
            Subject = "CN=ex4.lab.test",
            Issuer = "CN=Lab CA",
            DnsNames = new SummaryList<string>(new[] { "ex4.lab.test", "autodiscover.lab.test" }),
            NotBefore = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            NotAfter = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            DaysUntilExpiry = 33,
            NameMatches = true,
            ChainValid = true,
            Protocol = "Tls13",
        };
        certificate.Conclude(CheckStatus.Passed, DiagnosticCause.None, "The certificate is valid for ex4.lab.test.", null);
        report.Results.Add(certificate);

        report.ProviderDiagnosis = new ProviderDiagnosisResult("healthy@lab.test")
        {
            IsSpammer = false,
            IsSuspended = false,
            IsLocked = false,
            ConnectiveOwa = false,
            IsMxValid = true,
            IsSrvValid = true,
            CanSendEmail = null,
            CanReceiveEmail = true,
            LastCheck = Start.AddMinutes(-5),
        };
        report.ProviderDiagnosis.Disagreements.Add("The provider says webmail fails; so do these checks.");
        report.ProviderDiagnosis.Conclude(CheckStatus.Failed, DiagnosticCause.WebmailAuthFailed, "The provider's diagnosis says webmail login fails.", "Reset the password.");
        return report;
    }

    /// <summary>A mailbox where everything works.</summary>
    public static DiagnosticReport Healthy()
    {
        var report = new DiagnosticReport("other@lab.test", "lab.test")
        {
            Status = CheckStatus.Passed,
            Verdict = "The mailbox works: all 1 checks passed.",
            StartTime = Start,
            Duration = TimeSpan.FromMilliseconds(850),
            ModuleVersion = "0.1.0",
            Culture = "en-US",
        };
        report.Results.Add(Mx());
        return report;
    }

    private static MxCheckResult Mx()
    {
        var mx = new MxCheckResult("lab.test")
        {
            Records = new SummaryList<MxRecordInfo>(new[] { new MxRecordInfo(1, "mx0.mail.ovh.net"), new MxRecordInfo(5, "mx1.mail.ovh.net") }),
            Expected = "mx0.mail.ovh.net mx1.mail.ovh.net",
            Observed = "mx0.mail.ovh.net mx1.mail.ovh.net",
            Duration = TimeSpan.FromMilliseconds(12.25),
        };
        mx.AddStep("MX lab.test", CheckStatus.Passed, "1 mx0.mail.ovh.net, 5 mx1.mail.ovh.net from 127.0.0.77:5300", TimeSpan.FromMilliseconds(8));
        mx.Conclude(CheckStatus.Passed, DiagnosticCause.None, "lab.test has the OVHcloud MX records.", null);
        return mx;
    }
}
