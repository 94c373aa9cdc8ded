using System;

namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeDmarc for one domain.</summary>
public sealed class DmarcCheckResult : CheckResult
{
    internal DmarcCheckResult(string domain)
        : base("Dmarc", domain)
    {
    }

    public string Domain => Target;

    /// <summary>The DMARC record that applies, as published (shown safely); null when none was found.</summary>
    public string? Record { get; internal set; }

    /// <summary>The domain whose _dmarc record applies: the domain itself, or the parent the DNS tree walk found it at.</summary>
    public string? PolicyDomain { get; internal set; }

    /// <summary>p= of the record.</summary>
    public string? Policy { get; internal set; }

    /// <summary>sp= of the record, when it has one.</summary>
    public string? SubdomainPolicy { get; internal set; }

    /// <summary>The policy receivers apply to this domain: p=, or sp= (else p=) when the record was found at a parent.</summary>
    public string? AppliedPolicy { get; internal set; }

    /// <summary>pct=: the share of failing mail the policy applies to.</summary>
    public int? Percentage { get; internal set; }

    /// <summary>adkim=: relaxed or strict.</summary>
    public string? DkimAlignment { get; internal set; }

    /// <summary>aspf=: relaxed or strict.</summary>
    public string? SpfAlignment { get; internal set; }

    /// <summary>rua=: where aggregate reports go.</summary>
    public SummaryList<string> ReportUris { get; internal set; } = new SummaryList<string>();

    /// <summary>ruf=: where failure reports go.</summary>
    public SummaryList<string> ForensicUris { get; internal set; } = new SummaryList<string>();

    internal override void CleanTexts(Func<string, string> clean)
    {
        base.CleanTexts(clean);
        Record = CleanOrNull(Record, clean);
        ReportUris.ReplaceAll(clean);
        ForensicUris.ReplaceAll(clean);
    }
}
