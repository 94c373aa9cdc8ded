using System;
using System.Management.Automation;
using System.Net;

namespace ExchangeDiag.Commands;

/// <summary>
/// [pscredential]::Empty passes the Mandatory check but has no user and no password (its
/// GetNetworkCredential() is null): the invocation cannot run at all, so it ends at once.
/// </summary>
internal static class EmptyCredential
{
    /// <summary>The credential for the wire; an empty one ends the invocation (one credential for all inputs).</summary>
    public static NetworkCredential Require(PSCmdlet cmdlet, PSCredential? credential)
    {
        NetworkCredential? network = credential == null || credential == PSCredential.Empty ? null : credential.GetNetworkCredential();
        if (network == null || string.IsNullOrEmpty(network.UserName))
        {
            cmdlet.ThrowTerminatingError(Error(credential));
        }

        return network!;
    }

    /// <summary>True for [pscredential]::Empty and any credential without a password to send.</summary>
    public static bool IsEmpty(PSCredential? credential)
        => credential == null || credential == PSCredential.Empty || credential.GetNetworkCredential() == null || credential.Password == null;

    public static ErrorRecord Error(PSCredential? credential)
        => new ErrorRecord(
            new PSArgumentException(Texts.Commands["Credential_Empty"], "Credential"),
            "EmptyCredential",
            ErrorCategory.InvalidArgument,
            credential);
}
