namespace ExchangeDiag.Commands;

/// <summary>
/// The property names that carry a mailbox's address on the objects users pipe: Get-Mailbox and
/// Get-Recipient (PrimarySmtpAddress, WindowsEmailAddress), Get-ADUser and Microsoft Graph
/// (UserPrincipalName, Mail), and the CSV files exported from them. Every parameter that takes a
/// mailbox, or a domain, lists them as aliases, so those objects bind by property name. PowerShell
/// takes the first alias the object has, so the order below is a preference: UserPrincipalName comes
/// last, since a login name is not always the mailbox's address.
/// </summary>
internal static class MailboxAddress
{
    public const string EmailAddress = nameof(EmailAddress);
    public const string PrimarySmtpAddress = nameof(PrimarySmtpAddress);
    public const string WindowsEmailAddress = nameof(WindowsEmailAddress);
    public const string Mail = nameof(Mail);
    public const string UserPrincipalName = nameof(UserPrincipalName);
}
