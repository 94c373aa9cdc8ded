using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using MailKit;
using MailKit.Security;

namespace ExchangeDiag.Auth;

/// <summary>Access tokens for one mailbox, one per protocol; a refused sign-in throws <see cref="SignInException"/>.</summary>
internal interface ITokenSource
{
    /// <summary>The tokens are the app's own (client credentials), not a person's: EWS must be told which mailbox to open.</summary>
    bool AppOnly { get; }

    Task<string> GetTokenAsync(MailProtocol protocol, CancellationToken cancellationToken);
}

/// <summary>
/// Who the checks log in as, and how: the mailbox's password (Basic) or OAuth access tokens from
/// Microsoft Entra ID. Either way there is one attempt per protocol; with OAuth the token is had
/// before the server is contacted, so a refused sign-in never reaches the server at all.
/// </summary>
public sealed class MailboxLogin
{
    private readonly NetworkCredential? _password;
    private readonly ITokenSource? _tokens;

    // Servers the user named, where a token may go although they are not Exchange Online's.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _namedServers = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

    private MailboxLogin(string userName, NetworkCredential? password, ITokenSource? tokens)
    {
        UserName = userName;
        _password = password;
        _tokens = tokens;
    }

    public static MailboxLogin Basic(NetworkCredential credential) => new MailboxLogin(credential.UserName, credential, null);

    internal static MailboxLogin OAuth(string userName, ITokenSource tokens) => new MailboxLogin(userName, null, tokens);

    public static implicit operator MailboxLogin(NetworkCredential credential) => Basic(credential);

    /// <summary>The mailbox's address (the user principal name).</summary>
    public string UserName { get; }

    public AuthMethod Method => _tokens == null ? AuthMethod.Basic : AuthMethod.OAuth;

    /// <summary>
    /// Lets the token go to <paramref name="server"/>, a server the user named (-Server, -ExchangeServer):
    /// a token goes to Exchange Online's own servers, or to one the user chose, never to one the
    /// domain's records or a discovery named, which anyone who controls the domain's DNS or web site could.
    /// </summary>
    internal void AllowTokenAt(string server) => _namedServers[server.TrimEnd('.')] = true;

    /// <summary>The password credential of a Basic login; OAuth has none.</summary>
    internal NetworkCredential Password => _password ?? throw new InvalidOperationException("An OAuth login has no password.");

    /// <summary>
    /// What the login sends for <paramref name="protocol"/>: with OAuth, the token is asked here (from
    /// the session's cache, or the identity provider); a refusal concludes <paramref name="result"/> and gives null.
    /// </summary>
    /// <param name="host">
    /// The server the login goes to: a password is never sent to Exchange Online, which refuses any.
    /// Null when the check chooses among several and looks at each (Autodiscover).
    /// </param>
    internal async Task<LoginProof?> ProveAsync(MailProtocol protocol, string? host, CheckResult result, CancellationToken cancellationToken)
    {
        if (_tokens == null)
        {
            // SMTP AUTH still takes a password where the tenant allows it (5.7.139 says when not).
            if (protocol != MailProtocol.Smtp && host != null && ExchangeOnline.IsHost(host))
            {
                ExchangeOnline.ConcludeBasicRetired(result, host, UserName);
                return null;
            }

            return new LoginProof(this, null, false);
        }

        if (host != null && !ExchangeOnline.IsHost(host) && !_namedServers.ContainsKey(host.TrimEnd('.')))
        {
            ExchangeOnline.ConcludeTokenWithheld(result, host, UserName);
            return null;
        }

        try
        {
            string token = await _tokens.GetTokenAsync(protocol, cancellationToken).ConfigureAwait(false);
            result.AddStep("Sign-in", CheckStatus.Passed, $"access token for {protocol} from Microsoft Entra ID, for {UserName}");
            return new LoginProof(this, token, _tokens.AppOnly);
        }
        catch (SignInException ex)
        {
            ex.Failure.Conclude(result);
            return null;
        }
    }
}

/// <summary>The credential or token one check sends, in the form its protocol wants.</summary>
internal sealed class LoginProof
{
    private readonly MailboxLogin _login;
    private readonly string? _token;

    public LoginProof(MailboxLogin login, string? token, bool appOnly)
    {
        _login = login;
        _token = token;
        AppOnly = appOnly;
    }

    public bool IsToken => _token != null;

    /// <summary>An app's token: Exchange Online opens a mailbox for it only when the request names one (impersonation).</summary>
    public bool AppOnly { get; }

    /// <summary>The mailbox an app's EWS request acts as; null for a person's token or a password.</summary>
    public string? Impersonated => AppOnly ? _login.UserName : null;

    /// <summary>The Authorization header: Basic with the password, or Bearer with the token.</summary>
    public AuthenticationHeaderValue HttpAuthorization => _token == null
        ? Checks.EwsProbe.BasicAuthorization(_login.Password)
        : new AuthenticationHeaderValue("Bearer", _token);

    /// <summary>
    /// The one SASL mechanism to use, or null for IMAP's LOGIN command: XOAUTH2 with a token (Exchange
    /// Online offers it, as MailKit's SaslMechanismOAuth2 speaks it), else the simplest for the password.
    /// </summary>
    public SaslMechanism? Mechanism(IMailService client)
    {
        if (_token == null)
        {
            return Mail.MailSession.OneMechanism(client, _login.Password);
        }

        var offered = new HashSet<string>(client.AuthenticationMechanisms, StringComparer.OrdinalIgnoreCase);
        return offered.Contains("XOAUTH2") ? new SaslMechanismOAuth2(_login.UserName, _token)
            : offered.Contains("OAUTHBEARER") ? new SaslMechanismOAuthBearer(_login.UserName, _token)
            : null;
    }
}
