namespace ExchangeDiag;

/// <summary>Hosted Exchange offers whose DNS values the checks know.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum MailProvider
{
    OvhEurope,
    OvhCanada,

    /// <summary>Microsoft 365 (Exchange Online).</summary>
    Microsoft365,
}
