using System.Management.Automation;
using System.Net;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>
/// The parameters of the checks that log in: the mailbox's credential and -SkipCertificateCheck.
/// The password leaves the credential only for a request to an HTTPS address.
/// </summary>
public abstract class AuthenticatedCheckCommand<TResult> : CheckCommand<TResult>
    where TResult : CheckResult
{
    protected AuthenticatedCheckCommand()
    {
        TimeoutSeconds = 30;
    }

    /// <summary>The mailbox's credential: the full e-mail address and its password.</summary>
    [Parameter(Mandatory = true)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>Accept a certificate that fails validation; the problem is still reported as a Warning.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The credential for the wire.</summary>
    protected NetworkCredential NetworkCredential { get; private set; } = new NetworkCredential();

    protected override void BeginProcessing()
    {
        NetworkCredential = Credential.GetNetworkCredential();
        base.BeginProcessing();
    }

    /// <summary>A session for one check: its steps belong to that check's result alone.</summary>
    protected HttpSession NewHttpSession() => new HttpSession(Dns, SkipCertificateCheck.IsPresent, WriteVerboseFromAnyThread);
}
