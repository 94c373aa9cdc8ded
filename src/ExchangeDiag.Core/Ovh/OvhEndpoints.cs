using System;
using System.Collections.Generic;

namespace ExchangeDiag.Ovh;

/// <summary>The API's regional endpoints by the names the official clients use, or a full URL.</summary>
public static class OvhEndpoints
{
    private static readonly Dictionary<string, string> Known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ovh-eu"] = "https://eu.api.ovh.com/1.0",
        ["ovh-ca"] = "https://ca.api.ovh.com/1.0",
        ["ovh-us"] = "https://api.us.ovhcloud.com/1.0",
    };

    /// <summary>The names ovh-eu, ovh-ca and ovh-us.</summary>
    public static IEnumerable<string> Names => Known.Keys;

    /// <summary>The base URL for a name or an https:// URL; null with the reason otherwise.</summary>
    public static Uri? Resolve(string endpoint, out string? error)
    {
        error = null;
        string text = endpoint.Trim();
        if (Known.TryGetValue(text, out string? url))
        {
            return new Uri(url);
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            return new Uri(uri.AbsoluteUri.TrimEnd('/'));
        }

        error = Texts.Commands.Format("Ovh_BadEndpoint", text);
        return null;
    }
}
