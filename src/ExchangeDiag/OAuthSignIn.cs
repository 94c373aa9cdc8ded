using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography.X509Certificates;
using ExchangeDiag.Auth;

namespace ExchangeDiag.Commands;

/// <summary>The OAuth parameters of a cmdlet, as the user gave them (-TenantId, -ClientId, -CertificateThumbprint, -Certificate, -Authority).</summary>
internal sealed class OAuthParameters
{
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? CertificateThumbprint { get; set; }

    public X509Certificate2? Certificate { get; set; }

    public Uri? Authority { get; set; }
}

/// <summary>
/// Turns the OAuth parameters into settings, and keeps each app's token cache for the PowerShell
/// session (runspace), as Connect-ExchangeOnline does: a person signs in once per session.
/// </summary>
internal static class OAuthSignIn
{
    private static readonly ConcurrentDictionary<string, OAuthTokenCache> Caches = new ConcurrentDictionary<string, OAuthTokenCache>(StringComparer.Ordinal);

    /// <summary>The settings, or a terminating error: an invocation whose app cannot be named cannot run at all.</summary>
    public static OAuthSettings Settings(PSCmdlet cmdlet, OAuthParameters parameters)
    {
        X509Certificate2? certificate = parameters.Certificate ?? FindCertificate(cmdlet, parameters.CertificateThumbprint);
        if (certificate != null && !certificate.HasPrivateKey)
        {
            Fail(cmdlet, "Certificate_NoPrivateKey", ErrorCategory.InvalidArgument, certificate.Thumbprint, certificate);
        }

        if (certificate != null && (parameters.TenantId == null || parameters.ClientId == null))
        {
            // An app signs in to its own tenant: "organizations" means nothing without a person.
            Fail(cmdlet, "OAuth_AppNeedsTenant", ErrorCategory.InvalidArgument, null, certificate);
        }

        Uri authority = parameters.Authority ?? OAuthSettings.PublicCloud;
        if (authority.Scheme != Uri.UriSchemeHttps)
        {
            Fail(cmdlet, "OAuth_AuthorityNotHttps", ErrorCategory.InvalidArgument, authority.ToString(), authority);
        }

        return new OAuthSettings(
            new Uri(authority.GetLeftPart(UriPartial.Authority) + "/"),
            parameters.TenantId ?? OAuthSettings.AnyOrganization,
            parameters.ClientId ?? OAuthSettings.DefaultPublicClientId,
            certificate);
    }

    /// <summary>
    /// The HTTP session the sign-ins of one invocation go through. Never with -SkipCertificateCheck:
    /// a token sent to an impostor is the mailbox handed over.
    /// </summary>
    public static Http.HttpSession IdentityHttp(Dns.DnsQuerier dns, Action<string> log) => new Http.HttpSession(dns, skipCertificateCheck: false, log, useSystemProxy: true);

    /// <summary>Says so when OAuth's parameters were given without -AuthMethod OAuth: they would be ignored without a word.</summary>
    public static void WarnIfUnused(PSCmdlet cmdlet)
    {
        string[] given = new[] { "TenantId", "ClientId", "CertificateThumbprint", "Certificate", "Authority", "UserPrincipalName" }
            .Where(cmdlet.MyInvocation.BoundParameters.ContainsKey).ToArray();
        if (given.Length > 0)
        {
            cmdlet.WriteWarning(Texts.Commands.Format("OAuth_ParametersUnused", string.Join(", -", given)));
        }
    }

    /// <summary>The longest one request to the identity provider may take; a sign-in is many (device-code polls).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The sign-in of <paramref name="user"/> through <paramref name="identityHttp"/> (which never skips
    /// certificate checks), with the session's token cache of the app.
    /// </summary>
    /// <param name="prompt">Shows a person the device-code instructions.</param>
    /// <param name="secret">Receives each token, for the run's redactors.</param>
    /// <param name="cache">The session's cache of the app, read on the pipeline thread (<see cref="CacheFor"/>).</param>
    public static EntraSignIn Start(OAuthSettings settings, OAuthTokenCache cache, string user, Http.HttpSession identityHttp, Action<string> prompt, Action<string> secret, Action<string> log)
        => new EntraSignIn(settings, user, cache, identityHttp.ClientFor(RequestTimeout), prompt, secret, log);

    /// <summary>
    /// Gets the tokens of <paramref name="protocols"/> before any check starts, outside their deadlines:
    /// a person is asked at most once (a device code), the others come from the cache. A refusal is
    /// remembered for the checks, which conclude from it.
    /// </summary>
    public static async Task PrepareAsync(EntraSignIn signIn, IEnumerable<MailProtocol> protocols, CancellationToken cancellationToken)
    {
        foreach (MailProtocol protocol in protocols)
        {
            try
            {
                await signIn.GetTokenAsync(protocol, cancellationToken, mayPrompt: true).ConfigureAwait(false);
            }
            catch (SignInException)
            {
                // Remembered by the sign-in: each check concludes from it.
            }
        }
    }

    /// <summary>
    /// The token cache of this app in the current runspace. Read it on the pipeline thread: elsewhere
    /// there is no current runspace, and the cache would be shared by every session of the process.
    /// </summary>
    public static OAuthTokenCache CacheFor(OAuthSettings settings)
    {
        string runspace = Runspace.DefaultRunspace?.InstanceId.ToString() ?? throw new InvalidOperationException("The OAuth token cache is read on the pipeline thread, in a runspace.");
        bool added = false;
        OAuthTokenCache cache = Caches.GetOrAdd(runspace + "|" + settings.CacheKey, _ =>
        {
            added = true;
            return new OAuthTokenCache();
        });
        if (added && Runspace.DefaultRunspace is Runspace current)
        {
            // The tokens go with the session that signed in.
            current.StateChanged += (sender, e) =>
            {
                if (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken)
                {
                    foreach (string key in Caches.Keys)
                    {
                        if (key.StartsWith(runspace + "|", StringComparison.Ordinal))
                        {
                            Caches.TryRemove(key, out _);
                        }
                    }
                }
            };
        }

        return cache;
    }

    /// <summary>The certificate with this thumbprint in the user's, then the machine's personal store.</summary>
    private static X509Certificate2? FindCertificate(PSCmdlet cmdlet, string? thumbprint)
    {
        if (thumbprint == null)
        {
            return null;
        }

        string wanted = thumbprint.Replace(" ", string.Empty).Replace(":", string.Empty);
        foreach (StoreLocation location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                X509Certificate2Collection found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A store that does not exist on this system (LocalMachine\My on Linux): the next one.
            }
        }

        Fail(cmdlet, "Certificate_NotFound", ErrorCategory.ObjectNotFound, wanted, thumbprint);
        return null;
    }

    private static void Fail(PSCmdlet cmdlet, string errorId, ErrorCategory category, string? argument, object? target)
        => cmdlet.ThrowTerminatingError(new ErrorRecord(new ArgumentException(Texts.Commands.Format(errorId, argument)), errorId, category, target));
}
