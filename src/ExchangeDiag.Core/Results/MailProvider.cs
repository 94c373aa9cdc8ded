namespace ExchangeDiag;

/// <summary>Hosted Exchange offers whose DNS values the checks know.</summary>
public enum MailProvider
{
    OvhEurope,
    OvhCanada,
}
