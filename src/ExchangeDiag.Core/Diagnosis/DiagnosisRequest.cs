using System;
using System.Collections.Generic;
using ExchangeDiag.Auth;
using System.Threading;
using System.Threading.Tasks;

namespace ExchangeDiag.Diagnosis;

/// <summary>What Invoke-ExchangeDiagnostic was asked to diagnose, for one mailbox.</summary>
public sealed class DiagnosisRequest
{
    public DiagnosisRequest(string emailAddress, MailboxLogin login)
    {
        EmailAddress = emailAddress;
        Login = login;
    }

    public string EmailAddress { get; }

    /// <summary>The mailbox's password, or its OAuth sign-in.</summary>
    public MailboxLogin Login { get; }

    /// <summary>
    /// The run's secrets, cut out of every result before the causes are drawn from them; the
    /// mailbox's own password is added to it whatever the caller gave.
    /// </summary>
    public SecretRedactor Secrets { get; set; } = new SecretRedactor();

    /// <summary>The hosted offer; detected from the MX and SRV records when null.</summary>
    public MailProvider? Provider { get; set; }

    /// <summary>The Exchange server for every protocol; found through SRV and Autodiscover when null.</summary>
    public string? ExchangeServer { get; set; }

    public bool SkipMailFlow { get; set; }

    public bool SkipCertificateCheck { get; set; }

    /// <summary>Leave out the domain's mail authentication (SPF, DKIM, DMARC, blocklists, MTA-STS).</summary>
    public bool SkipDomainAuthentication { get; set; }

    /// <summary>The DKIM selectors to look up; null tries the provider's and common ones.</summary>
    public IReadOnlyList<string>? DkimSelectors { get; set; }

    /// <summary>The DNS blocklists to ask about the domain's mail servers; null asks the default set.</summary>
    public IReadOnlyList<string>? BlocklistZones { get; set; }

    /// <summary>The longest one check may take; the mail-flow wait gets the same.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The provider's own account state (its API), when the user has credentials for it: run beside
    /// the DNS checks, and its facts outrank what the protocols suggest.
    /// </summary>
    public Func<CancellationToken, Task<CheckResult>>? AccountState { get; set; }

    /// <summary>
    /// The provider's server-side diagnosis, when asked for (-ProviderDiagnosis). It logs in with
    /// the password itself, so it runs after the logins and only when none refused the password.
    /// </summary>
    public Func<CancellationToken, Task<ProviderDiagnosisResult>>? ProviderDiagnosis { get; set; }
}
