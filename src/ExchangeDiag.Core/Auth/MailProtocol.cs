namespace ExchangeDiag.Auth;

/// <summary>The protocols a token is asked for: each has its own permission (scope) in Exchange Online.</summary>
internal enum MailProtocol
{
    Ews,
    Imap,
    Smtp,
}
