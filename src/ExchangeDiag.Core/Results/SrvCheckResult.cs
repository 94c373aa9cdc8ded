namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeSrv for one domain.</summary>
public sealed class SrvCheckResult : CheckResult
{
    internal SrvCheckResult(string domain, string recordName)
        : base("Srv", domain)
    {
        RecordName = recordName;
    }

    public string Domain => Target;

    /// <summary>The name that was looked up, <c>_autodiscover._tcp.&lt;domain&gt;</c>.</summary>
    public string RecordName { get; }

    /// <summary>The SRV records, in the order clients use them (priority, then weight descending).</summary>
    public SummaryList<SrvRecordInfo> Records { get; internal set; } = new SummaryList<SrvRecordInfo>();

    /// <summary>
    /// The target of the autodiscover.&lt;domain&gt; CNAME, when the provider's way to Autodiscover is that
    /// alias (Microsoft 365) and the check looked it up; null otherwise or when there is none.
    /// </summary>
    public string? AutodiscoverCname { get; internal set; }
}

/// <summary>One SRV record as published.</summary>
public sealed class SrvRecordInfo
{
    public SrvRecordInfo(int priority, int weight, int port, string target)
    {
        Priority = priority;
        Weight = weight;
        Port = port;
        Target = target;
    }

    public int Priority { get; }

    public int Weight { get; }

    public int Port { get; }

    public string Target { get; }

    public override string ToString() => $"{Priority} {Weight} {Port} {Target}";
}
