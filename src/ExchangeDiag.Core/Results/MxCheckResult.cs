namespace ExchangeDiag;

/// <summary>Result of Test-ExchangeMx for one domain.</summary>
public sealed class MxCheckResult : CheckResult
{
    internal MxCheckResult(string domain)
        : base("Mx", domain)
    {
    }

    public string Domain => Target;

    /// <summary>The domain's MX records, best preference first.</summary>
    public SummaryList<MxRecordInfo> Records { get; internal set; } = new SummaryList<MxRecordInfo>();
}

/// <summary>One MX record as published.</summary>
public sealed class MxRecordInfo
{
    public MxRecordInfo(int preference, string exchange)
    {
        Preference = preference;
        Exchange = exchange;
    }

    public int Preference { get; }

    /// <summary>The mail host, without the trailing dot; "." for a null MX.</summary>
    public string Exchange { get; }

    public override string ToString() => $"{Preference} {Exchange}";
}
