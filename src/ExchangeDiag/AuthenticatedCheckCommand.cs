using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Auth;
using ExchangeDiag.Checks;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>
/// The parameters of the checks that log in: the mailbox's credential, or its OAuth sign-in
/// (Microsoft 365), and -SkipCertificateCheck. Inputs are checked one after another, and once the
/// credential is refused the remaining inputs are Skipped: the same wrong password sent to several
/// servers at once would lock the account.
/// </summary>
public abstract class AuthenticatedCheckCommand<TResult> : CheckCommand<TResult>
    where TResult : CheckResult
{
    private EntraSignIn? _signIn;
    private HttpSession? _identityHttp;

    protected AuthenticatedCheckCommand()
    {
        TimeoutSeconds = 30;
    }

    /// <summary>The mailbox's credential: the full e-mail address and its password. Not used with -AuthMethod OAuth.</summary>
    [Parameter]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>Basic (the password; the default) or OAuth (a Microsoft Entra ID token, for Exchange Online).</summary>
    [Parameter]
    public AuthMethod AuthMethod { get; set; }

    /// <summary>With OAuth: the mailbox's address, which the person signs in as (or the mailbox an app's certificate opens).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Mailbox", "UPN")]
    public string? UserPrincipalName { get; set; }

    /// <summary>With OAuth: the tenant (its id or a domain of it); any work or school tenant when omitted, needed with a certificate.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    /// <summary>With OAuth: the app (client) id; Microsoft Office's public client when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("ApplicationId", "AppId")]
    public string? ClientId { get; set; }

    /// <summary>With OAuth: the thumbprint of the app's certificate in the personal store, to sign in as the app (no person, no prompt).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    /// <summary>With OAuth: the app's certificate, with its private key, to sign in as the app.</summary>
    [Parameter]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>With OAuth: the identity provider, https://login.microsoftonline.com by default (national clouds have their own).</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? Authority { get; set; }

    /// <summary>Accept a certificate that fails validation; the problem is still reported as a Warning.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Who logs in, and how.</summary>
    protected MailboxLogin Login { get; private set; } = null!;

    /// <summary>The protocol whose token a person signs in for first; the others come from the cache silently.</summary>
    private protected virtual MailProtocol FirstProtocol => MailProtocol.Ews;

    protected override void Begin()
    {
        base.Begin();
        if (AuthMethod == AuthMethod.OAuth)
        {
            string? user = UserPrincipalName ?? (Credential == PSCredential.Empty ? null : Credential.UserName);
            if (string.IsNullOrWhiteSpace(user))
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException(Texts.Commands["OAuth_NeedsUser"], nameof(UserPrincipalName)), "UserPrincipalNameRequired", ErrorCategory.InvalidArgument, null));
            }

            Login = OAuthLogin(user!, new OAuthParameters { TenantId = TenantId, ClientId = ClientId, CertificateThumbprint = CertificateThumbprint, Certificate = Certificate, Authority = Authority }, FirstProtocol);
            return;
        }

        if (Credential == PSCredential.Empty)
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException(Texts.Commands["Credential_Required"], nameof(Credential)), "CredentialRequired", ErrorCategory.InvalidArgument, null));
        }

        var credential = EmptyCredential.Require(this, Credential);
        Secrets.Add(credential);
        Login = MailboxLogin.Basic(credential);
    }

    /// <summary>
    /// The OAuth login of <paramref name="user"/>: the sign-in happens here, on the pipeline thread, so
    /// a person sees the device code at once and no check's deadline runs while they sign in. A refused
    /// sign-in is not an error of the invocation: each check then concludes from it.
    /// </summary>
    private MailboxLogin OAuthLogin(string user, OAuthParameters parameters, MailProtocol first)
    {
        OAuthSettings settings = OAuthSignIn.Settings(this, parameters);
        _identityHttp = OAuthSignIn.IdentityHttp(Dns, WriteVerboseFromAnyThread);
        _signIn = OAuthSignIn.Start(
            settings,
            user,
            _identityHttp,
            prompt => OnPipelineThread(() => WriteWarning(prompt)),
            token => Secrets.Add(token),
            WriteVerboseFromAnyThread);
        Task<string> signIn = _signIn.GetTokenAsync(first, CancelToken);
        signIn.ContinueWith(_ => OnPipelineThread(() => { }), TaskScheduler.Default);
        RunQueuedActionsUntil(() => signIn.IsCompleted);
        if (signIn.IsFaulted && !(signIn.Exception?.InnerException is SignInException))
        {
            throw signIn.Exception!.InnerException!;
        }

        return MailboxLogin.OAuth(user, _signIn);
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
            return Skipped(input, SkippedResults.CredentialRefusedReason(_refusedBy, Login.UserName));
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _signIn?.Dispose();
            _identityHttp?.Dispose();
        }

        base.Dispose(disposing);
    }
}
