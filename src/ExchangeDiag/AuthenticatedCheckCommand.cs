using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
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
public abstract class AuthenticatedCheckCommand<TResult> : OAuthCheckCommand<TResult>
    where TResult : CheckResult
{
    // The password login of every input (Basic).
    private MailboxLogin? _password;

    // With OAuth, the user every input signs in as (-UserPrincipalName), or null: each input is a mailbox that signs in as itself.
    private string? _oauthUser;

    // The OAuth logins by user, made on the pipeline thread when the first input that needs one is checked (never for -WhatIf).
    private readonly ConcurrentDictionary<string, MailboxLogin> _logins = new ConcurrentDictionary<string, MailboxLogin>(StringComparer.OrdinalIgnoreCase);

    protected AuthenticatedCheckCommand()
    {
        TimeoutSeconds = 30;
    }

    /// <summary>The mailbox's credential: the full e-mail address and its password. Not used with -AuthMethod OAuth.</summary>
    [Parameter]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>The protocols whose tokens are had before any check starts: a person is asked at most once, then the cache answers.</summary>
    private protected virtual MailProtocol[] Protocols => new[] { MailProtocol.Ews };

    /// <summary>
    /// The server an input names, where an OAuth token may go although it is not Exchange Online's:
    /// a server the user typed. Never one the domain's records or a discovery named.
    /// </summary>
    private protected virtual string? NamedServer(string input) => null;

    /// <summary>Servers the user named in parameters (-SmtpServer, -ImapServer), where a token may go.</summary>
    private protected virtual IEnumerable<string> NamedServers => Array.Empty<string>();

    /// <summary>
    /// With OAuth, the one user every input signs in as (-UserPrincipalName of the cmdlets whose inputs
    /// are servers); null when each input is a mailbox address that signs in as itself.
    /// </summary>
    private protected virtual string? SignInUser => null;

    /// <summary>The inputs are mailbox addresses, each its own OAuth user; else -UserPrincipalName names it.</summary>
    private protected virtual bool InputsAreMailboxes => false;

    /// <summary>Who logs in for <paramref name="input"/>, and how (once ShouldCheck accepted it).</summary>
    protected MailboxLogin LoginFor(string input) => _password ?? _logins[_oauthUser ?? input];

    /// <summary>The user name every input logs in with (a password's, or -UserPrincipalName), known from Begin on.</summary>
    private protected string SharedUserName => _password?.UserName ?? _oauthUser!;

    /// <summary>The one login of every input of a server cmdlet, once ShouldCheck accepted an input.</summary>
    private protected MailboxLogin SharedLogin => _password ?? _logins[_oauthUser!];

    protected override void Begin()
    {
        base.Begin();
        if (UsesOAuth)
        {
            string? user = SignInUser ?? (Credential == PSCredential.Empty ? null : Credential.UserName);
            if (!InputsAreMailboxes && string.IsNullOrWhiteSpace(user))
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException(Texts.Commands["OAuth_NeedsUser"], "UserPrincipalName"), "UserPrincipalNameRequired", ErrorCategory.InvalidArgument, null));
            }

            _oauthUser = InputsAreMailboxes ? null : user;
            return;
        }

        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Credential)))
        {
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException(Texts.Commands["Credential_Required"], nameof(Credential)), "CredentialRequired", ErrorCategory.InvalidArgument, null));
        }

        var credential = EmptyCredential.Require(this, Credential);
        Secrets.Add(credential);
        _password = MailboxLogin.Basic(credential);
    }

    /// <summary>Whether to check an input at all (-WhatIf for the cmdlets that send mail); asked on the pipeline thread.</summary>
    protected virtual bool ShouldCheckInput(string input) => true;

    /// <summary>
    /// With OAuth, the sign-in happens here, on the pipeline thread, at the first input that needs it
    /// (-UserPrincipalName's once, or each mailbox input's own), so -WhatIf asks nobody to sign in.
    /// </summary>
    protected sealed override bool ShouldCheck(string input)
    {
        if (!ShouldCheckInput(input))
        {
            return false;
        }

        if (_password == null)
        {
            string user = _oauthUser ?? input;
            if (!_logins.TryGetValue(user, out MailboxLogin? login))
            {
                login = SignIn(user);
                _logins[user] = login;
            }

            if (NamedServer(input) is string server)
            {
                login.AllowTokenAt(server);
            }
        }

        return true;
    }

    /// <summary>
    /// The OAuth login of <paramref name="user"/>: the sign-in happens here, on the pipeline thread, so
    /// a person sees the device code at once and no check's deadline runs while they sign in. A refused
    /// sign-in is not an error of the invocation: each check then concludes from it.
    /// </summary>
    private MailboxLogin SignIn(string user)
    {
        EntraSignIn signIn = StartSignIn(user, token => Secrets.Add(token));
        Task ready = OAuthSignIn.PrepareAsync(signIn, Protocols, CancelToken);
        ready.ContinueWith(_ => OnPipelineThread(() => { }), TaskScheduler.Default);
        RunQueuedActionsUntil(() => ready.IsCompleted);
        if (ready.IsFaulted)
        {
            // A defect, not a refused sign-in (those are remembered for the checks): it ends the invocation with its own stack.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ready.Exception!.InnerException!).Throw();
        }

        var login = MailboxLogin.OAuth(user, signIn);
        foreach (string server in NamedServers)
        {
            login.AllowTokenAt(server);
        }

        return login;
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
            return Skipped(input, SkippedResults.CredentialRefusedReason(_refusedBy, LoginFor(input).UserName));
        }

        TResult result = await CheckWithCredentialAsync(input, stop).ConfigureAwait(false);

        // One login for every input: once refused, the others are not tried. Mailboxes that sign in as themselves stand alone.
        if (result.CredentialRefused && (_password != null || _oauthUser != null))
        {
            _refusedBy = result.Target;
        }

        return result;
    }

    /// <summary>A session for one check: its steps belong to that check's result alone.</summary>
    protected HttpSession NewHttpSession() => new HttpSession(Dns, SkipCertificates, WriteVerboseFromAnyThread);

}
