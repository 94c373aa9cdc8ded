using System.Collections.Generic;
using ExchangeDiag.Checks;

namespace ExchangeDiag.Diagnosis;

/// <summary>Which hosted offer a domain uses, from the host names its records and the user give.</summary>
internal static class ProviderDetection
{
    /// <summary>
    /// The first provider one of <paramref name="hosts"/> belongs to: an MX, SRV target or
    /// Autodiscover CNAME target of the provider (mx1.mail.ovh.net, contoso-com.mail.protection.outlook.com,
    /// autodiscover.outlook.com), or the Exchange server given.
    /// </summary>
    public static MailProvider? Detect(IEnumerable<string?> hosts)
    {
        foreach (string? host in hosts)
        {
            if (string.IsNullOrEmpty(host))
            {
                continue;
            }

            foreach (ProviderProfile profile in ProviderProfile.All)
            {
                if (profile.Recognises(host!))
                {
                    return profile.Provider;
                }
            }
        }

        return null;
    }

    /// <summary>The first host of the provider's Exchange-server form (ex4.mail.ovh.net) among the records' hosts; null for a provider without one.</summary>
    public static string? ExchangeServerIn(IEnumerable<string> hosts, MailProvider provider)
    {
        ProviderProfile profile = ProviderProfile.For(provider);
        if (profile.ExchangeServerPattern == null)
        {
            return null;
        }

        foreach (string host in hosts)
        {
            string name = host.TrimEnd('.');
            if (profile.ExchangeServerPattern.IsMatch(name))
            {
                return name;
            }
        }

        return null;
    }
}
