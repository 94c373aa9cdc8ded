using System.Management.Automation;
using ExchangeDiag.Auth;

namespace ExchangeDiag.Commands;

/// <summary>
/// The checks whose inputs are servers (OWA, EWS, IMAP, SMTP): with OAuth, -UserPrincipalName names
/// the mailbox every input signs in as. The checks whose inputs are mailboxes sign each in as itself.
/// </summary>
public abstract class ServerLoginCommand<TResult> : AuthenticatedCheckCommand<TResult>
    where TResult : CheckResult
{
    /// <summary>With OAuth: the mailbox's address, which the person signs in as (or the mailbox an app's certificate opens).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [Alias("Mailbox", "UPN")]
    public string? UserPrincipalName { get; set; }

    private protected override string? SignInUser => UserPrincipalName;

    /// <summary>Who logs in at every server given.</summary>
    protected MailboxLogin Login => SharedLogin;

    /// <summary>The user name of that login, known before any input (to check -From, say).</summary>
    protected string LoginUserName => SharedUserName;
}
