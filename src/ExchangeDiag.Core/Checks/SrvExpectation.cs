using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>What the autodiscover SRV record should be, from -ExpectedTarget and -Provider.</summary>
public sealed class SrvExpectation
{
    public const int AutodiscoverPort = 443;

    private SrvExpectation(string? target, MailProvider? provider)
    {
        Target = target;
        Provider = provider.HasValue ? ProviderProfile.For(provider.Value) : null;
    }

    /// <summary>The exact target required (-ExpectedTarget), or null.</summary>
    public string? Target { get; }

    internal ProviderProfile? Provider { get; }

    /// <summary>The provider whose guide asks priority 0 and weight 0: -Provider when its SRV record names its Exchange server (OVHcloud), or the one an -ExpectedTarget such as ex4.mail.ovh.net belongs to.</summary>
    internal ProviderProfile? ZeroPriorityProvider => Provider?.ExchangeServerPattern != null ? Provider : (Target == null ? null : ProviderProfile.OwningServer(Target));

    public static SrvExpectation Create(string? expectedTarget, MailProvider? provider)
        => new SrvExpectation(string.IsNullOrWhiteSpace(expectedTarget) ? null : DomainName.Canonical(expectedTarget), provider);

    /// <summary>
    /// The host autodiscover.&lt;domain&gt; must be an alias of (Microsoft 365: autodiscover.outlook.com),
    /// or null: the provider's way to Autodiscover is a CNAME, which the SRV check verifies beside the SRV record.
    /// </summary>
    internal string? AutodiscoverCname => Target == null ? Provider?.AutodiscoverCname : null;

    /// <summary>True when the provider does not use the SRV record (Microsoft 365): none is right, and one that exists may point only to <see cref="ProviderProfile.OptionalSrvTarget"/>.</summary>
    internal bool SrvIsOptional => Target == null && Provider?.OptionalSrvTarget != null;

    /// <summary>The target to write in advice: the expected host, the provider's pattern, or a placeholder.</summary>
    internal string TargetAdvice => Target ?? Provider?.ExchangeServerExample ?? Provider?.OptionalSrvTarget ?? Texts.Messages["Srv_YourExchangeServer"];

    public string Describe(string recordName)
    {
        if (SrvIsOptional)
        {
            string domain = recordName.Substring("_autodiscover._tcp.".Length);
            return Texts.Messages.Format("Expected_Srv_Cname", "autodiscover." + domain, AutodiscoverCname, recordName, Provider!.OptionalSrvTarget);
        }

        if (Provider != null)
        {
            return $"{recordName} SRV 0 0 {AutodiscoverPort} {Target ?? Provider.ExchangeServerExample}";
        }

        return Target != null
            ? Texts.Messages.Format("Expected_Srv_Pointing", recordName, AutodiscoverPort, Target)
            : Texts.Messages.Format("Expected_Srv_Resolving", recordName, AutodiscoverPort);
    }
}
