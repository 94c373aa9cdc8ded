using System;

namespace ExchangeDiag;

/// <summary>How an MTA-STS policy asks senders to act (RFC 8461 §5).</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum MtaStsMode
{
    /// <summary>No policy was read, or its mode is not one of the three.</summary>
    Unknown,

    /// <summary>Senders refuse to deliver to an MX host that fails the policy.</summary>
    Enforce,

    /// <summary>Senders deliver anyway and report failures through TLS-RPT.</summary>
    Testing,

    /// <summary>The policy is withdrawn: senders stop applying it.</summary>
    None,
}

/// <summary>Result of Test-ExchangeMtaSts for one domain: its MTA-STS record and policy, and its TLS-RPT record.</summary>
public sealed class MtaStsCheckResult : CheckResult
{
    internal MtaStsCheckResult(string domain)
        : base("MtaSts", domain)
    {
    }

    public string Domain => Target;

    /// <summary>The _mta-sts TXT record (the first, when there are several); null when there is none.</summary>
    public string? Record { get; internal set; }

    /// <summary>The id= of the record.</summary>
    public string? PolicyId { get; internal set; }

    /// <summary>The mode of the policy fetched from https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt.</summary>
    public MtaStsMode Mode { get; internal set; }

    /// <summary>The policy's max_age, in seconds.</summary>
    public long? MaxAge { get; internal set; }

    /// <summary>The mx patterns of the policy.</summary>
    public SummaryList<string> MxPatterns { get; internal set; } = new SummaryList<string>();

    /// <summary>The domain's MX hosts, best preference first.</summary>
    public SummaryList<string> MxHosts { get; internal set; } = new SummaryList<string>();

    /// <summary>The MX hosts no mx pattern of the policy matches.</summary>
    public SummaryList<string> UnmatchedMx { get; internal set; } = new SummaryList<string>();

    /// <summary>The policy file as served (cut for display); null when none was read.</summary>
    public string? Policy { get; internal set; }

    /// <summary>The _smtp._tls TXT record (TLS-RPT, RFC 8460); null when there is none.</summary>
    public string? TlsRptRecord { get; internal set; }

    /// <summary>Where TLS-RPT reports go: the record's mailto: and https: destinations.</summary>
    public SummaryList<string> TlsRptDestinations { get; internal set; } = new SummaryList<string>();

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Record = CleanOrNull(Record, clean);
        PolicyId = CleanOrNull(PolicyId, clean);
        Policy = CleanOrNull(Policy, clean);
        TlsRptRecord = CleanOrNull(TlsRptRecord, clean);
        MxPatterns.ReplaceAll(clean);
        MxHosts.ReplaceAll(clean);
        UnmatchedMx.ReplaceAll(clean);
        TlsRptDestinations.ReplaceAll(clean);
    }
}
