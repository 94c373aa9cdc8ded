using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace ExchangeDiag.Auth;

/// <summary>
/// Access tokens from Microsoft Entra ID through MSAL: a person signs in once with a device code
/// (the code and the address are shown through <c>prompt</c>; any browser, any device, so SSH
/// sessions work too), an app signs in as itself with its certificate. Tokens come from the
/// session's cache while they last; a refused sign-in is remembered for the run, so no protocol
/// asks again and no second prompt appears.
/// </summary>
internal sealed class EntraSignIn : ITokenSource
{
    /// <summary>Exchange Online's delegated permissions, as Microsoft documents them for EWS, IMAP and SMTP AUTH.</summary>
    private static readonly string[] EwsScopes = { "https://outlook.office365.com/EWS.AccessAsUser.All" };
    private static readonly string[] ImapScopes = { "https://outlook.office.com/IMAP.AccessAsUser.All" };
    private static readonly string[] SmtpScopes = { "https://outlook.office.com/SMTP.Send" };

    /// <summary>An app's token carries its granted roles (full_access_as_app, IMAP.AccessAsApp, SMTP.SendAsApp).</summary>
    private static readonly string[] AppScopes = { "https://outlook.office365.com/.default" };

    private readonly OAuthSettings _settings;
    private readonly string _mailbox;
    private readonly OAuthTokenCache _cache;
    private readonly Action<string> _prompt;
    private readonly Action<string> _secret;
    private readonly Action<string> _log;
    private readonly HttpClient _http;
    private SignInFailure? _refused;

    // A permission missing for one protocol (its scope) refuses that protocol alone.
    private readonly System.Collections.Generic.Dictionary<MailProtocol, SignInFailure> _refusedFor = new System.Collections.Generic.Dictionary<MailProtocol, SignInFailure>();

    // One device-code prompt per run at most: once asked, a protocol that would need another gets its outcome.
    private SignInFailure? _deviceCodeFailed;
    private string? _lastToken;

    /// <param name="http">The client MSAL sends through: names resolve with the run's DNS servers, certificates are always validated.</param>
    /// <param name="prompt">Shows the device-code instructions to the person.</param>
    /// <param name="secret">Receives every token, so the run's redactor masks it wherever it might appear.</param>
    public EntraSignIn(OAuthSettings settings, string mailbox, OAuthTokenCache cache, HttpClient http, Action<string> prompt, Action<string> secret, Action<string> log)
    {
        _settings = settings;
        _mailbox = mailbox;
        _cache = cache;
        _http = http;
        _prompt = prompt;
        _secret = secret;
        _log = log;
    }

    public bool AppOnly => _settings.AppOnly;

    public Task<string> GetTokenAsync(MailProtocol protocol, CancellationToken cancellationToken) => GetTokenAsync(protocol, cancellationToken, mayPrompt: false);

    /// <param name="mayPrompt">
    /// A person may be asked to sign in (a device code): only before any check's deadline runs. A
    /// check's own request comes from the cache, or says a new sign-in is needed.
    /// </param>
    public async Task<string> GetTokenAsync(MailProtocol protocol, CancellationToken cancellationToken, bool mayPrompt)
    {
        // One acquisition at a time for every sign-in sharing the session's cache: two refreshing it at
        // once would each write their own copy, and a person gets one prompt at a time.
        await _cache.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_refused != null)
            {
                throw new SignInException(_refused);
            }

            if (_refusedFor.TryGetValue(protocol, out SignInFailure? refused))
            {
                throw new SignInException(refused);
            }

            try
            {
                AuthenticationResult token = _settings.AppOnly
                    ? await AppTokenAsync(cancellationToken).ConfigureAwait(false)
                    : await UserTokenAsync(ScopesFor(protocol), mayPrompt, cancellationToken).ConfigureAwait(false);
                if (!string.Equals(token.AccessToken, _lastToken, StringComparison.Ordinal))
                {
                    // The token alone, and as XOAUTH2 sends it: a server that echoes either shows only the mask.
                    _lastToken = token.AccessToken;
                    _secret(token.AccessToken);
                    _secret(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user={_mailbox}\u0001auth=Bearer {token.AccessToken}\u0001\u0001")));
                }

                return token.AccessToken;
            }
            catch (SignInException ex)
            {
                Remember(protocol, ex.Failure);
                throw;
            }
            catch (MsalException ex) when (!cancellationToken.IsCancellationRequested)
            {
                SignInFailure failure = Classify(ex);
                Remember(protocol, failure);
                throw new SignInException(failure);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                // The certificate's private key cannot be used here (not readable by this account, or not exportable to sign).
                var failure = SignInFailure.FromIdentityProvider(_mailbox, null, "AADSTS700027: " + ex.Message);
                Remember(protocol, failure);
                throw new SignInException(failure);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                var failure = SignInFailure.NoAnswer(new Phrase(Texts.SignIn, "NoAnswer", _settings.Authority.Host, Root(ex).Message));
                Remember(protocol, failure);
                throw new SignInException(failure);
            }
        }
        finally
        {
            _cache.Gate.Release();
        }
    }

    private static string[] ScopesFor(MailProtocol protocol) => protocol switch
    {
        MailProtocol.Imap => ImapScopes,
        MailProtocol.Smtp => SmtpScopes,
        _ => EwsScopes,
    };

    /// <summary>Every refusal is remembered for the run: of the whole sign-in, or of one protocol's permission.</summary>
    private void Remember(MailProtocol protocol, SignInFailure failure)
    {
        if (failure.Cause == DiagnosticCause.ConsentRequired || failure.Cause == DiagnosticCause.CheckFailed)
        {
            _refusedFor[protocol] = failure;
        }
        else
        {
            _refused = failure;
        }
    }

    private async Task<AuthenticationResult> AppTokenAsync(CancellationToken cancellationToken)
    {
        IConfidentialClientApplication app = Configure(ConfidentialClientApplicationBuilder.Create(_settings.ClientId)
            .WithCertificate(_settings.Certificate, sendX5C: false)).Build();
        Attach(app.AppTokenCache);
        _log($"OAuth: signing in as app {_settings.ClientId} with certificate {_settings.Certificate!.Thumbprint} at {_settings.AuthorityUrl}");
        return await app.AcquireTokenForClient(AppScopes).ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationResult> UserTokenAsync(string[] scopes, bool mayPrompt, CancellationToken cancellationToken)
    {
        IPublicClientApplication app = Configure(PublicClientApplicationBuilder.Create(_settings.ClientId)).Build();
        Attach(app.UserTokenCache);
        IAccount? account = (await app.GetAccountsAsync().ConfigureAwait(false))
            .FirstOrDefault(a => string.Equals(a.Username, _mailbox, StringComparison.OrdinalIgnoreCase));
        if (account != null)
        {
            try
            {
                AuthenticationResult silent = await app.AcquireTokenSilent(scopes, account).ExecuteAsync(cancellationToken).ConfigureAwait(false);
                _log($"OAuth: token for {string.Join(" ", scopes)} from the session's cache ({account.Username})");
                return silent;
            }
            catch (MsalUiRequiredException ex) when (!SignInFailure.IsStanding(SignInFailure.AadstsCodeIn(ex.Message)))
            {
                // No usable refresh token (expired, revoked, password changed) or a new multi-factor
                // proof wanted: a new sign-in by the person settles it; a disabled account would not.
                _log($"OAuth: the cached sign-in of {account.Username} no longer works ({ex.ErrorCode}); a new sign-in is needed");
                if (!mayPrompt)
                {
                    throw new SignInException(SignInFailure.Incomplete(new Phrase(Texts.SignIn, "NewSignInNeeded", _mailbox, SignInFailure.FirstLineOf(ex.Message))));
                }
            }
        }

        if (!mayPrompt)
        {
            throw new SignInException(SignInFailure.Incomplete(new Phrase(Texts.SignIn, "NewSignInNeeded", _mailbox, "-")));
        }

        if (_deviceCodeFailed != null)
        {
            throw new SignInException(_deviceCodeFailed);
        }

        _log($"OAuth: device-code sign-in for {_mailbox} with app {_settings.ClientId} at {_settings.AuthorityUrl}");
        AuthenticationResult signedIn;
        try
        {
            signedIn = await app.AcquireTokenWithDeviceCode(scopes, code =>
            {
                // Entra ID's own instructions, after the account to sign in as: several may be asked at once.
                _prompt(Texts.SignIn.Format("DeviceCodeFor", _mailbox, code.Message));
                return Task.CompletedTask;
            }).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MsalException ex) when (!cancellationToken.IsCancellationRequested)
        {
            _deviceCodeFailed = Classify(ex);
            throw new SignInException(_deviceCodeFailed);
        }

        string who = signedIn.Account?.Username ?? string.Empty;
        if (!string.Equals(who, _mailbox, StringComparison.OrdinalIgnoreCase))
        {
            // The token would open the signer's own mailbox: nothing it says is about this one.
            throw new SignInException(SignInFailure.Incomplete(new Phrase(Texts.SignIn, "OtherAccount", who, _mailbox)));
        }

        return signedIn;
    }

    private T Configure<T>(AbstractApplicationBuilder<T> builder)
        where T : AbstractApplicationBuilder<T>
        => builder
            .WithAuthority(_settings.AuthorityUrl, validateAuthority: _settings.KnownHost)
            .WithInstanceDiscovery(_settings.KnownHost)
            .WithHttpClientFactory(new FixedHttpClient(_http))
            .WithClientName("ExchangeDiag");

    /// <summary>MSAL's cache lives in the session: read before each use, written after each change.</summary>
    private void Attach(ITokenCache cache)
    {
        cache.SetBeforeAccess(args =>
        {
            byte[]? data = _cache.Read();
            if (data != null)
            {
                args.TokenCache.DeserializeMsalV3(data);
            }
        });
        cache.SetAfterAccess(args =>
        {
            if (args.HasStateChanged)
            {
                _cache.Write(args.TokenCache.SerializeMsalV3());
            }
        });
    }

    private SignInFailure Classify(MsalException ex)
    {
        if (ex is MsalServiceException service)
        {
            if (service.InnerException is HttpRequestException http)
            {
                return SignInFailure.NoAnswer(new Phrase(Texts.SignIn, "NoAnswer", _settings.Authority.Host, Root(http).Message));
            }

            return SignInFailure.FromIdentityProvider(_mailbox, service.ErrorCode, service.Message);
        }

        if (ex.ErrorCode == MsalError.RequestTimeout)
        {
            return SignInFailure.NoAnswer(new Phrase(Texts.SignIn, "NoAnswer", _settings.Authority.Host, ex.Message));
        }

        if (ex.ErrorCode == MsalError.AuthenticationCanceledError || ex.ErrorCode == MsalError.CodeExpired)
        {
            return SignInFailure.Incomplete(new Phrase(Texts.SignIn, "NotFinished", _mailbox));
        }

        // A client-side refusal (a certificate without its private key, an invalid authority): the setup, not the mailbox.
        return SignInFailure.FromIdentityProvider(_mailbox, ex.ErrorCode, ex.Message);
    }

    private static Exception Root(Exception ex)
    {
        while (ex.InnerException != null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>Hands MSAL the run's client: its own would resolve with the system and ignore -DnsServer.</summary>
    private sealed class FixedHttpClient : IMsalHttpClientFactory
    {
        private readonly HttpClient _client;

        public FixedHttpClient(HttpClient client) => _client = client;

        public HttpClient GetHttpClient() => _client;
    }
}
