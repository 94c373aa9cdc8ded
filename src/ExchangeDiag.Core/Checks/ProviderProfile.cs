using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExchangeDiag.Checks;

/// <summary>
/// What a hosted Exchange offer documents for a domain: its MX records, how clients find Autodiscover
/// (an SRV record at OVHcloud, a CNAME at Microsoft 365), its SPF include and, where they are the
/// same for every customer, its Exchange endpoints.
/// </summary>
internal abstract class ProviderProfile
{
    private static readonly ProviderProfile[] Profiles =
    {
        new OvhProfile(MailProvider.OvhEurope, "OVHcloud Exchange", "mail.ovh.net", "mx.ovh.com"),
        new OvhProfile(MailProvider.OvhCanada, "OVHcloud Exchange (Canada)", "mail.ovh.ca", "mx.ovh.ca"),
        new Microsoft365Profile(),
    };

    protected ProviderProfile(MailProvider provider, string displayName, string spfInclude)
    {
        Provider = provider;
        DisplayName = displayName;
        SpfInclude = spfInclude;
    }

    public MailProvider Provider { get; }

    public string DisplayName { get; }

    /// <summary>The domain the provider's SPF guide has customers include.</summary>
    public string SpfInclude { get; }

    /// <summary>True when the MX host the provider gives depends on the domain (Microsoft 365's contoso-com.mail.protection.outlook.com).</summary>
    public abstract bool MxDependsOnDomain { get; }

    /// <summary>The Exchange server form an SRV target must have (ex4.mail.ovh.net), or null when the SRV record is not the provider's way to Autodiscover.</summary>
    public virtual Regex? ExchangeServerPattern => null;

    /// <summary>How the guide writes an Exchange server name (<c>ex?.mail.ovh.net</c>), or null.</summary>
    public virtual string? ExchangeServerExample => null;

    /// <summary>The host <c>autodiscover.&lt;domain&gt;</c> must be an alias (CNAME) of, or null when the provider documents no such record.</summary>
    public virtual string? AutodiscoverCname => null;

    /// <summary>The host an <c>_autodiscover._tcp</c> SRV record may point to when the provider does not use one, or null when it does.</summary>
    public virtual string? OptionalSrvTarget => null;

    /// <summary>The client endpoints, when they are the same for every customer; null when they depend on the customer's server.</summary>
    public virtual ExchangeEndpoints? Endpoints => null;

    /// <summary>True for the offers of the OVHcloud API (account state, the provider's own diagnosis).</summary>
    public virtual bool HasOvhApi => false;

    /// <summary>The Messages resource naming a host of the provider's MX set ("an OVHcloud Exchange MX host").</summary>
    public virtual string MxHostKey => "MxHost_Provider";

    /// <summary>The Messages resource of the remediation for an MX host outside the provider's set.</summary>
    public virtual string MxStrangerRemediationKey => "Mx_Stranger_Remediation";

    /// <summary>The Dkim resource that says where the provider lists its DKIM selectors.</summary>
    public abstract string DkimAdviceKey { get; }

    /// <summary>The MX records to advise for <paramref name="domain"/>, with their preferences.</summary>
    public abstract IReadOnlyList<MxRecordInfo> MxRecordsFor(string? domain);

    /// <summary>True when <paramref name="host"/> is one of the MX hosts the provider gives <paramref name="domain"/>.</summary>
    public abstract bool IsMxHostFor(string host, string? domain);

    /// <summary>True when <paramref name="host"/>, found in a domain's records, belongs to the provider.</summary>
    public abstract bool Recognises(string host);

    public static IReadOnlyList<ProviderProfile> All => Profiles;

    public static ProviderProfile For(MailProvider provider) => Profiles.FirstOrDefault(p => p.Provider == provider) ?? Profiles[0];

    /// <summary>The provider whose Exchange server name <paramref name="host"/> has the form of, or null.</summary>
    public static ProviderProfile? OwningServer(string host)
        => Profiles.FirstOrDefault(p => p.ExchangeServerPattern?.IsMatch(host) == true);

    protected static bool EndsWith(string host, string suffix)
        => host.TrimEnd('.').EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Where mail clients reach an offer whose endpoints are the same for every customer.</summary>
public sealed class ExchangeEndpoints
{
    internal ExchangeEndpoints(Uri ews, string imapHost, int imapPort, string smtpHost, int smtpPort)
    {
        Ews = ews;
        ImapHost = imapHost;
        ImapPort = imapPort;
        SmtpHost = smtpHost;
        SmtpPort = smtpPort;
    }

    public Uri Ews { get; }

    public string ImapHost { get; }

    public int ImapPort { get; }

    /// <summary>IMAP's TLS: implicit, on connect.</summary>
    public MailSecurity ImapSecurity => MailSecurity.SslOnConnect;

    public string SmtpHost { get; }

    public int SmtpPort { get; }

    /// <summary>SMTP submission's TLS: STARTTLS.</summary>
    public MailSecurity SmtpSecurity => MailSecurity.StartTls;
}

/// <summary>OVHcloud Exchange: fixed MX hosts, an SRV record to the customer's ex? server (PROTOCOL-NOTES section 1).</summary>
internal sealed class OvhProfile : ProviderProfile
{
    private readonly string _suffix;
    private readonly MxRecordInfo[] _mxRecords;
    private readonly Regex _exchangeServerPattern;

    public OvhProfile(MailProvider provider, string displayName, string suffix, string spfInclude)
        : base(provider, displayName, spfInclude)
    {
        _suffix = "." + suffix;
        _exchangeServerPattern = new Regex("^ex[0-9]+\\." + Regex.Escape(suffix) + "$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        _mxRecords = new[]
        {
            new MxRecordInfo(1, "mx0." + suffix),
            new MxRecordInfo(5, "mx1." + suffix),
            new MxRecordInfo(50, "mx2." + suffix),
            new MxRecordInfo(100, "mx3." + suffix),
            new MxRecordInfo(200, "mx4." + suffix),
        };
    }

    public override bool MxDependsOnDomain => false;

    public override Regex ExchangeServerPattern => _exchangeServerPattern;

    public override string ExchangeServerExample => "ex?" + _suffix;

    public override bool HasOvhApi => true;

    public override string DkimAdviceKey => "Dkim_Advice_Ovh";

    public override IReadOnlyList<MxRecordInfo> MxRecordsFor(string? domain) => _mxRecords;

    public override bool IsMxHostFor(string host, string? domain)
    {
        foreach (MxRecordInfo record in _mxRecords)
        {
            if (Dns.DomainName.AreEqual(record.Exchange, host))
            {
                return true;
            }
        }

        return false;
    }

    public override bool Recognises(string host) => EndsWith(host, _suffix);
}

/// <summary>
/// Microsoft 365 (Exchange Online). Microsoft's "External Domain Name System records for Microsoft 365"
/// (learn.microsoft.com/microsoft-365/enterprise/external-domain-name-system-records) lists one MX,
/// "&lt;MX token&gt;.mail.protection.outlook.com", preference 0; the CNAME autodiscover -> autodiscover.outlook.com;
/// SPF include:spf.protection.outlook.com; and no _autodiscover._tcp SRV record. The DKIM guide says the
/// token is the domain with its dots as dashes (contoso.com: contoso-com). A domain that already has
/// dashes gets them dropped and a suffix Microsoft picks (live records: heig-vd.ch ->
/// heigvd-ch01b.mail.protection.outlook.com; rose-hulman.edu -> rosehulman-edu01b), so for those only
/// the form is known. "How SMTP DANE works" (learn.microsoft.com/purview/how-smtp-dane-works) gives
/// domains enabled for DNSSEC an MX ending in mx.microsoft, such as contosotest-com.o-v1.mx.microsoft,
/// the middle label being the zone Microsoft provisioned the domain in.
/// </summary>
internal sealed class Microsoft365Profile : ProviderProfile
{
    public const string ProtectionSuffix = ".mail.protection.outlook.com";
    public const string DnssecSuffix = ".mx.microsoft";
    public const string AutodiscoverHost = "autodiscover.outlook.com";

    private static readonly ExchangeEndpoints Online = new ExchangeEndpoints(
        new Uri("https://outlook.office365.com/EWS/Exchange.asmx"), "outlook.office365.com", 993, "smtp.office365.com", 587);

    public Microsoft365Profile()
        : base(MailProvider.Microsoft365, "Microsoft 365", "spf.protection.outlook.com")
    {
    }

    public override bool MxDependsOnDomain => true;

    public override string AutodiscoverCname => AutodiscoverHost;

    public override string OptionalSrvTarget => AutodiscoverHost;

    public override ExchangeEndpoints Endpoints => Online;

    public override string DkimAdviceKey => "Dkim_Advice_Microsoft365";

    public override string MxHostKey => "MxHost_Microsoft365";

    public override string MxStrangerRemediationKey => "Mx_Stranger_Remediation_Microsoft365";

    /// <summary>The MX token: "contoso-com" for contoso.com; for a domain with dashes, the form "contosoinc-com&lt;nnx&gt;" only.</summary>
    public static string MxToken(string domain)
    {
        string name = Dns.DomainName.Canonical(domain);
        return name.IndexOf('-') < 0 ? name.Replace('.', '-') : name.Replace("-", string.Empty).Replace('.', '-') + "<nnx>";
    }

    public override IReadOnlyList<MxRecordInfo> MxRecordsFor(string? domain)
        => new[] { new MxRecordInfo(0, (domain == null ? "<domain-with-dashes>" : MxToken(domain)) + ProtectionSuffix) };

    public override bool IsMxHostFor(string host, string? domain)
    {
        string name = Dns.DomainName.Canonical(host);
        int dot = name.IndexOf('.');
        if (dot <= 0 || !InMicrosoftMxZone(name.Substring(dot)))
        {
            return false;
        }

        if (domain == null)
        {
            return true;
        }

        string label = name.Substring(0, dot);
        string canonical = Dns.DomainName.Canonical(domain);
        if (canonical.IndexOf('-') < 0)
        {
            return label == canonical.Replace('.', '-');
        }

        // The dashes dropped, then two digits and a letter (01b) that Microsoft chose.
        string stem = canonical.Replace("-", string.Empty).Replace('.', '-');
        return label.Length == stem.Length + 3 && label.StartsWith(stem, StringComparison.Ordinal)
            && char.IsDigit(label[stem.Length]) && char.IsDigit(label[stem.Length + 1]) && label[stem.Length + 2] >= 'a' && label[stem.Length + 2] <= 'z';
    }

    /// <summary>".mail.protection.outlook.com", or one label (the DNSSEC zone, o-v1) before ".mx.microsoft".</summary>
    private static bool InMicrosoftMxZone(string rest)
        => rest == ProtectionSuffix
        || (rest.Length > DnssecSuffix.Length + 1 && rest.EndsWith(DnssecSuffix, StringComparison.Ordinal) && rest.IndexOf('.', 1) == rest.Length - DnssecSuffix.Length);

    public override bool Recognises(string host) => EndsWith(host, ProtectionSuffix) || EndsWith(host, DnssecSuffix) || Dns.DomainName.AreEqual(host, AutodiscoverHost);
}
