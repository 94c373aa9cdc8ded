using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>
/// The parameters of the checks that log in: the mailbox's credential and -SkipCertificateCheck.
/// Inputs are checked one after another, and once the credential is refused the remaining inputs
/// are Skipped: the same wrong password sent to several servers at once would lock the account.
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

    protected override void Begin()
    {
        NetworkCredential = EmptyCredential.Require(this, Credential);
        Secrets.Add(NetworkCredential);
        base.Begin();
    }

    private string? _refusedBy;

    /// <summary>Runs one input's check with the credential; never reached once it was refused.</summary>
    protected abstract Task<TResult> CheckWithCredentialAsync(string input, CancellationToken stop);

    /// <summary>The result for an input that was not checked.</summary>
    protected abstract TResult Skipped(string input, string reason);

    protected sealed override async Task<TResult> CheckAsync(string input, CancellationToken stop)
    {
        if (_refusedBy != null)
        {
            return Skipped(input, SkippedResults.CredentialRefusedReason(_refusedBy, NetworkCredential.UserName));
        }

        TResult result = await CheckWithCredentialAsync(input, stop).ConfigureAwait(false);
        if (result.CredentialRefused)
        {
            _refusedBy = result.Target;
        }

        return result;
    }

    /// <summary>A session for one check: its steps belong to that check's result alone.</summary>
    protected HttpSession NewHttpSession() => new HttpSession(Dns, SkipCertificateCheck.IsPresent, WriteVerboseFromAnyThread);
}
