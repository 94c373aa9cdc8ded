using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using ExchangeDiag.Auth;
using ExchangeDiag.Http;

namespace ExchangeDiag.Commands;

/// <summary>
/// The parameters of the cmdlets that may sign in at Microsoft Entra ID instead of sending a password
/// (-AuthMethod OAuth), with what they set up for it once per invocation: the app's settings, the
/// session's token cache and the HTTP session the sign-ins go through.
/// </summary>
public abstract class OAuthCheckCommand<TResult> : CheckCommand<TResult>
    where TResult : class, ICheckOutcome
{
    private OAuthSettings? _oauth;
    private OAuthTokenCache? _tokenCache;
    private HttpSession? _identityHttp;

    /// <summary>Basic (the password; the default) or OAuth (a Microsoft Entra ID token, for Exchange Online).</summary>
    [Parameter]
    public AuthMethod AuthMethod { get; set; }

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

    /// <summary>Accept a certificate that fails validation, for a password's logins; the problem is still reported as a Warning.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>True once Begin set up -AuthMethod OAuth.</summary>
    private protected bool UsesOAuth => _oauth != null;

    /// <summary>
    /// -SkipCertificateCheck, unless a token is sent: a token is good for whoever holds it, so it never
    /// goes over a connection whose certificate failed validation.
    /// </summary>
    protected bool SkipCertificates => SkipCertificateCheck.IsPresent && AuthMethod != AuthMethod.OAuth;

    protected override void Begin()
    {
        base.Begin();
        if (AuthMethod != AuthMethod.OAuth)
        {
            OAuthSignIn.WarnIfUnused(this);
            return;
        }

        _oauth = OAuthSignIn.Settings(this, new OAuthParameters { TenantId = TenantId, ClientId = ClientId, CertificateThumbprint = CertificateThumbprint, Certificate = Certificate, Authority = Authority });

        // Read here, on the pipeline thread: the session's cache is found through the current runspace.
        _tokenCache = OAuthSignIn.CacheFor(_oauth);
        _identityHttp = OAuthSignIn.IdentityHttp(Dns, WriteVerboseFromAnyThread);
        if (SkipCertificateCheck.IsPresent)
        {
            WriteWarning(Texts.Commands["OAuth_NoSkipCertificateCheck"]);
        }
    }

    /// <summary>
    /// The sign-in of <paramref name="user"/>: its device-code instructions are written as a warning on
    /// the pipeline thread, and each token goes to <paramref name="secret"/> for the redactors.
    /// </summary>
    private protected EntraSignIn StartSignIn(string user, Action<string> secret)
        => OAuthSignIn.Start(_oauth!, _tokenCache!, user, _identityHttp!, prompt => OnPipelineThread(() => WriteWarning(prompt)), secret, WriteVerboseFromAnyThread);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _identityHttp?.Dispose();
        }

        base.Dispose(disposing);
    }
}
