using System;
using System.Management.Automation;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Commands;

internal static class HostNames
{
    /// <summary>Stops the invocation when a host-name parameter holds something that is not a host name.</summary>
    public static void Validate(PSCmdlet cmdlet, string parameter, params string?[]? values)
    {
        foreach (string? value in values ?? Array.Empty<string?>())
        {
            if (value != null && DomainName.TryNormalize(value, out string? why) == null)
            {
                var error = new ArgumentException($"-{parameter} '{value}' is not a host name: {why}.");
                cmdlet.ThrowTerminatingError(new ErrorRecord(error, "Invalid" + parameter, ErrorCategory.InvalidArgument, value));
            }
        }
    }
}
