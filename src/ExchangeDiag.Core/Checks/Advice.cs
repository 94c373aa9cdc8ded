namespace ExchangeDiag.Checks;

/// <summary>Remediation texts that several checks give for the same cause, in the UI culture.</summary>
internal static class Advice
{
    public static string WrongPassword => Texts.Messages["Advice_WrongPassword"];

    public static string Locked => Texts.Messages["Advice_Locked"];

    public static string ServerError => Texts.Messages["Advice_ServerError"];

    public static string Renew => Texts.Messages["Advice_Renew"];

    public static string NotExchange => Texts.Messages["Advice_NotExchange"];
}
