using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExchangeDiag.Checks;

/// <summary>The DNS values a hosted Exchange provider documents (PROTOCOL-NOTES section 1).</summary>
internal sealed class ProviderProfile
{
    private ProviderProfile(string displayName, string suffix)
    {
        DisplayName = displayName;
        ExchangeServerExample = "ex?." + suffix;
        ExchangeServerPattern = new Regex("^ex[0-9]+\\." + Regex.Escape(suffix) + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        MxRecords = new[]
        {
            new MxRecordInfo(1, "mx0." + suffix),
            new MxRecordInfo(5, "mx1." + suffix),
            new MxRecordInfo(50, "mx2." + suffix),
            new MxRecordInfo(100, "mx3." + suffix),
            new MxRecordInfo(200, "mx4." + suffix),
        };
    }

    public string DisplayName { get; }

    /// <summary>The MX records the provider's guide lists, with their preferences.</summary>
    public IReadOnlyList<MxRecordInfo> MxRecords { get; }

    /// <summary>The form of an Exchange server name, such as ex4.mail.ovh.net.</summary>
    public Regex ExchangeServerPattern { get; }

    /// <summary>How the guide writes an Exchange server name: <c>ex?.mail.ovh.net</c>.</summary>
    public string ExchangeServerExample { get; }

    /// <summary>The provider whose Exchange server name <paramref name="host"/> has the form of, or null.</summary>
    public static ProviderProfile? OwningServer(string host)
        => new[] { MailProvider.OvhEurope, MailProvider.OvhCanada }.Select(For).FirstOrDefault(p => p.ExchangeServerPattern.IsMatch(host));

    public static ProviderProfile For(MailProvider provider) => provider switch
    {
        MailProvider.OvhCanada => new ProviderProfile("OVHcloud Exchange (Canada)", "mail.ovh.ca"),
        _ => new ProviderProfile("OVHcloud Exchange", "mail.ovh.net"),
    };
}
