using System.Collections.Generic;
using System.Globalization;

namespace ExchangeDiag.Dns;

/// <summary>What a host name (an MX or SRV target) resolves to.</summary>
public sealed class HostResolution
{
    private string? _stepName;

    public HostResolution(string name, IReadOnlyList<string> addresses, string? aliasOf, DnsOutcome outcome, string detail)
        : this(name, addresses, aliasOf, outcome, detail, null)
    {
    }

    /// <param name="reason">Why DNS could not say, for messages in any language; the English <paramref name="detail"/> stays the step's trace.</param>
    internal HostResolution(string name, IReadOnlyList<string> addresses, string? aliasOf, DnsOutcome outcome, string detail, Phrase? reason)
    {
        _reason = reason;
        Name = name;
        Addresses = addresses;
        AliasOf = aliasOf;
        Outcome = outcome;
        Detail = detail;
    }

    private readonly Phrase? _reason;

    public string Name { get; }

    /// <summary>"Resolve host", the name of the step that shows this resolution: made once, shared by every result that shows it.</summary>
    internal string StepName => _stepName ??= "Resolve " + Name;

    /// <summary>A and AAAA addresses found, following CNAMEs.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The canonical name when <see cref="Name"/> is a CNAME; null otherwise.</summary>
    public string? AliasOf { get; }

    /// <summary>NameError for NXDOMAIN; an unavailable outcome when DNS failed; Answered otherwise.</summary>
    public DnsOutcome Outcome { get; }

    /// <summary>Short text for a step: the addresses, or why there are none.</summary>
    public string Detail { get; }

    public bool Resolves => Addresses.Count > 0;

    /// <summary>
    /// True when DNS failed before it could say whether the name resolves. A record no host can be
    /// (a CNAME chain past 8 hops) is known: the name does not resolve, by the domain's own records.
    /// </summary>
    public bool IsUnknown => !Resolves && Outcome != DnsOutcome.Answered && Outcome != DnsOutcome.NameError && Outcome != DnsOutcome.InvalidRecord;

    /// <summary>
    /// True when the server refused to answer for the name: a server authoritative for the user's
    /// zone only (given with -DnsServer) refuses names in other zones, such as the provider's hosts.
    /// </summary>
    public bool IsRefused => !Resolves && Outcome == DnsOutcome.Refused;

    /// <summary>
    /// Why the name does not resolve, as a verb phrase for a message in the UI culture ("does not
    /// exist (NXDOMAIN)"); when DNS could not say, the technical <see cref="Detail"/> as it is.
    /// </summary>
    internal string Failure() => Failure(CultureInfo.CurrentUICulture);

    /// <summary>Why the name does not resolve, in <paramref name="culture"/>.</summary>
    internal string Failure(CultureInfo culture)
    {
        if (Resolves || ((IsUnknown || Outcome == DnsOutcome.InvalidRecord) && _reason == null))
        {
            return Detail;
        }

        string failure = _reason?.In(culture) ?? Texts.Messages[Outcome == DnsOutcome.NameError ? "Host_NxDomain" : "Host_NoAddress", culture];
        return AliasOf == null ? failure : Texts.Messages.Format(culture, "Host_FailureOfAlias", failure, AliasOf);
    }
}
