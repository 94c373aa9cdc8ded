using System;
using System.Collections.Generic;

namespace ExchangeDiag.Diagnosis;

/// <summary>Which hosted offer a domain uses, from the host names its records and the user give.</summary>
internal static class ProviderDetection
{
    private static readonly (string Suffix, MailProvider Provider)[] Suffixes =
    {
        (".mail.ovh.net", MailProvider.OvhEurope),
        (".mail.ovh.ca", MailProvider.OvhCanada),
    };

    public static MailProvider? Detect(IEnumerable<string?> hosts)
    {
        foreach (string? host in hosts)
        {
            string name = (host ?? string.Empty).TrimEnd('.');
            foreach ((string suffix, MailProvider provider) in Suffixes)
            {
                if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    return provider;
                }
            }
        }

        return null;
    }

    /// <summary>The first host of the provider's Exchange-server form (ex4.mail.ovh.net) among the records' hosts.</summary>
    public static string? ExchangeServerIn(IEnumerable<string> hosts, MailProvider provider)
    {
        Checks.ProviderProfile profile = Checks.ProviderProfile.For(provider);
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
