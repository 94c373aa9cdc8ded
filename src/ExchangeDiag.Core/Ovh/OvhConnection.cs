namespace ExchangeDiag;

/// <summary>What Connect-ExchangeDiagOvh verified and keeps for the session; never a secret.</summary>
public sealed class OvhConnection
{
    public OvhConnection(string endpoint, string applicationKey, string source, string? credentialStatus, long? serverTimeDelta)
    {
        Endpoint = endpoint;
        ApplicationKey = applicationKey;
        Source = source;
        CredentialStatus = credentialStatus;
        ServerTimeDelta = serverTimeDelta;
    }

    /// <summary>The API's base URL.</summary>
    public string Endpoint { get; }

    public string ApplicationKey { get; }

    /// <summary>Where the credentials came from: parameters, environment, or an ovh.conf path.</summary>
    public string Source { get; }

    /// <summary>The consumer key's status as the API gives it, such as validated.</summary>
    public string? CredentialStatus { get; }

    /// <summary>How many seconds the API's clock is ahead of this computer's.</summary>
    public long? ServerTimeDelta { get; }

    public override string ToString() => $"{Endpoint} application {ApplicationKey} ({CredentialStatus ?? "?"})";
}
