namespace ExchangeDiag;

/// <summary>The root cause a check points to. Later checks add members; existing names never change.</summary>
public enum DiagnosticCause
{
    None,
    MxInvalid,
    SrvInvalid,
    DnsUnavailable,
}
