using System;

namespace ExchangeDiag;

/// <summary>Result of Get-ExchangeAccountState: what the provider's API says about a mailbox.</summary>
public sealed class AccountStateResult : CheckResult
{
    internal AccountStateResult(string emailAddress)
        : base("AccountState", emailAddress)
    {
        EmailAddress = emailAddress;
    }

    public string EmailAddress { get; }

    /// <summary>The OVHcloud Exchange organization that holds the account.</summary>
    public string? Organization { get; internal set; }

    /// <summary>The Exchange service that holds the account.</summary>
    public string? Service { get; internal set; }

    /// <summary>True when the provider blocked the account for sending spam.</summary>
    public bool? SpamDetected { get; internal set; }

    /// <summary>The support ticket to answer about the spam block.</summary>
    public long? SpamTicketNumber { get; internal set; }

    /// <summary>The account's state: ok, suspended, suspending, creating, deleting...</summary>
    public string? AccountState { get; internal set; }

    /// <summary>The subscription's status (serviceInfos): ok, expired, unPaid, pendingDebt, inCreation.</summary>
    public string? ServiceStatus { get; internal set; }

    /// <summary>When the subscription expires (serviceInfos), or the account's own expiration date.</summary>
    public DateTimeOffset? Expiration { get; internal set; }

    /// <summary>Failed logins that lock an account; 0 when the service has no lockout policy.</summary>
    public int? LockoutThreshold { get; internal set; }

    public TimeSpan? LockoutDuration { get; internal set; }

    public TimeSpan? LockoutObservationWindow { get; internal set; }

    /// <summary>The provider's view of the domain's MX records (null when the domain is not on the service).</summary>
    public bool? DomainMxValid { get; internal set; }

    /// <summary>The provider's view of the domain's _autodiscover._tcp SRV record.</summary>
    public bool? DomainSrvValid { get; internal set; }

    /// <summary>The provider's view of the domain's SPF record (its API's spfIsValid).</summary>
    public bool? DomainSpfValid { get; internal set; }

    /// <summary>The provider's DKIM state for the domain: active, inProgress, disabled, toConfigure or error (its API's dkimDiagnostics.state).</summary>
    public string? DomainDkimState { get; internal set; }

    /// <summary>The DKIM selectors the provider made for the domain (its API's dkimSelector), such as ovhex1234-selector1: the ones a diagnosis looks up.</summary>
    public SummaryList<string> DomainDkimSelectors { get; internal set; } = new SummaryList<string>();

    /// <summary>True when the provider's last diagnosis found the account locked by the security policy.</summary>
    public bool? LockedByProvider { get; internal set; }

    /// <summary>When the provider last ran its diagnosis of the account, if it ever did.</summary>
    public DateTimeOffset? LastDiagnosis { get; internal set; }

    /// <summary>The names and states are the provider's API's words.</summary>
    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Organization = CleanOrNull(Organization, clean);
        Service = CleanOrNull(Service, clean);
        AccountState = CleanOrNull(AccountState, clean);
        ServiceStatus = CleanOrNull(ServiceStatus, clean);
        DomainDkimState = CleanOrNull(DomainDkimState, clean);
        DomainDkimSelectors.ReplaceAll(clean);
    }

    /// <summary>
    /// The provider's DKIM states that mean its mail is signed, or soon will be: active, and
    /// inProgress while it publishes the keys (the control panel's own states for Exchange).
    /// </summary>
    internal static bool DkimStateIsWorking(string state)
        => string.Equals(state, "active", StringComparison.OrdinalIgnoreCase) || string.Equals(state, "inProgress", StringComparison.OrdinalIgnoreCase);
}
