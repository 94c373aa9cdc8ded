namespace ExchangeDiag;

/// <summary>Outcome of a check, from best to worst.</summary>
/// <remarks>
/// Failed means the thing checked is wrong; Error means the check could not be completed,
/// so nothing is known about the thing checked.
/// </remarks>
public enum CheckStatus
{
    Passed,
    Warning,
    Failed,
    Error,
    Skipped,
}
