namespace ExchangeDiag;

/// <summary>Outcome of a check.</summary>
/// <remarks>
/// Failed means the thing checked is wrong; Error means the check could not be completed, so
/// nothing is known about the thing checked. The order of the members is not a ranking: a check
/// that found a fault and also met an unanswered question reports the fault (Failed).
/// </remarks>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum CheckStatus
{
    Passed,
    Warning,
    Failed,
    Error,
    Skipped,
}
