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

    public static SrvExpectation Create(string? expectedTarget, MailProvider? provider)
        => new SrvExpectation(string.IsNullOrWhiteSpace(expectedTarget) ? null : DomainName.Canonical(expectedTarget), provider);

    /// <summary>The target to write in advice: the expected host, the provider's pattern, or a placeholder.</summary>
    internal string TargetAdvice => Target ?? Provider?.ExchangeServerExample ?? Texts.Messages["Srv_YourExchangeServer"];

    public string Describe(string recordName)
    {
        if (Provider != null)
        {
            return $"{recordName} SRV 0 0 {AutodiscoverPort} {Target ?? Provider.ExchangeServerExample}";
        }

        return Target != null
            ? $"{recordName} SRV on port {AutodiscoverPort} pointing to {Target}"
            : $"{recordName} SRV on port {AutodiscoverPort} whose target resolves";
    }
}
