namespace ExchangeDiag.Checks;

/// <summary>Remediation texts that several checks give for the same cause.</summary>
internal static class Advice
{
    public const string WrongPassword =
        "Check the user name (the full e-mail address) and the password; reset the password in the provider's control panel if it is lost. Do not retry many times: the security policy locks the account after a few failures.";

    public const string Locked =
        "Wait for the lockout duration to pass (the provider's policy sets it), or ask the administrator to unlock the account; then find what keeps sending a wrong password (an old phone, a saved password).";

    public const string ServerError =
        "The Exchange server has a problem of its own: try again later, or contact the provider's support with this result.";

    public const string Renew =
        "Renew the subscription (the billing periodicity) in the provider's control panel; the account works again once it is paid.";

    public const string NotExchange =
        "Check the server name: it should be the mailbox's Exchange server, such as ex4.mail.ovh.net.";
}
