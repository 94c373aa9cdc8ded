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
}
