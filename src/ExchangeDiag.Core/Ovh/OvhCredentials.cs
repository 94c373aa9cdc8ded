using System;
using System.Net;
using System.Security;

namespace ExchangeDiag.Ovh;

/// <summary>
/// What signs calls to the OVHcloud API. The application secret and the consumer key stay
/// SecureStrings until the moment a request is signed, and nothing here prints them.
/// </summary>
public sealed class OvhCredentials
{
    public OvhCredentials(Uri endpoint, string applicationKey, SecureString applicationSecret, SecureString consumerKey, string source)
    {
        Endpoint = endpoint;
        ApplicationKey = applicationKey;
        ApplicationSecret = applicationSecret;
        ConsumerKey = consumerKey;
        Source = source;
    }

    /// <summary>The API's base URL, such as https://eu.api.ovh.com/1.0.</summary>
    public Uri Endpoint { get; }

    /// <summary>The application key: public, it names the application.</summary>
    public string ApplicationKey { get; }

    internal SecureString ApplicationSecret { get; }

    internal SecureString ConsumerKey { get; }

    /// <summary>Where the values came from, such as "parameters" or "environment, /root/.ovh.conf".</summary>
    public string Source { get; }

    public override string ToString() => $"{Endpoint} application {ApplicationKey} ({Source})";

    /// <summary>The plain text of a secret, only for the signature.</summary>
    internal static string Reveal(SecureString secret) => new NetworkCredential(string.Empty, secret).Password;

    internal static SecureString Protect(string plain)
    {
        SecureString secure = new NetworkCredential(string.Empty, plain).SecurePassword;
        secure.MakeReadOnly();
        return secure;
    }
}
