using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ExchangeDiag.Dns;

namespace ExchangeDiag.Checks;

/// <summary>What the MX records of a domain should be, from -ExpectedMx, -Provider and -ExchangeServer.</summary>
public sealed class MxExpectation
{
    private readonly string _hostDescriptionKey;
    private readonly ProviderProfile? _provider;
    private readonly string? _domain;
    private Description? _description;

    private MxExpectation(IReadOnlyList<MxRecordInfo>? records, string hostDescriptionKey, string? exchangeServer, ProviderProfile? provider = null, string? domain = null)
    {
        Records = records;
        _hostDescriptionKey = hostDescriptionKey;
        _provider = provider;
        _domain = domain;
        ExchangeServer = exchangeServer;
    }

    /// <summary>The expected MX hosts (with the preferences to advise), or null when any resolving host will do.</summary>
    public IReadOnlyList<MxRecordInfo>? Records { get; }

    /// <summary>
    /// How a finding names a host of the set: "an OVHcloud Exchange MX host", in the UI culture of
    /// the moment (read when the finding is written, on the check's thread).
    /// </summary>
    public string HostDescription => Texts.Messages.Format(_hostDescriptionKey, _provider?.DisplayName);

    /// <summary>
    /// The Exchange server itself, valid as the only MX in the provider's "Exchange + POP/IMAP hosted
    /// elsewhere" setup.
    /// </summary>
    public string? ExchangeServer { get; }

    /// <summary>No expectation: MX records must exist and resolve.</summary>
    public static MxExpectation Any { get; } = new MxExpectation(null, "MxHost_Any", null);

    public static MxExpectation Create(IEnumerable<string>? expectedMx, MailProvider? provider, string? exchangeServer)
    {
        string? exchange = string.IsNullOrWhiteSpace(exchangeServer) ? null : DomainName.Canonical(exchangeServer);
        List<string>? expected = expectedMx?.Where(h => !string.IsNullOrWhiteSpace(h)).Select(DomainName.Canonical).Distinct().ToList();
        if (expected != null && expected.Count > 0)
        {
            // Listed order is the order of preference the user wants; the advice numbers them 10, 20...
            var records = expected.Select((h, i) => new MxRecordInfo((i + 1) * 10, h)).ToList();
            return new MxExpectation(records, "MxHost_Expected", exchange);
        }

        if (provider.HasValue)
        {
            ProviderProfile profile = ProviderProfile.For(provider.Value);
            return new MxExpectation(profile.MxRecordsFor(null), profile.MxHostKey, exchange, profile);
        }

        if (exchange != null)
        {
            return new MxExpectation(new[] { new MxRecordInfo(10, exchange) }, "MxHost_ExchangeServer", exchange);
        }

        return Any;
    }

    /// <summary>
    /// The expectation for one domain: the same object, unless the provider gives each domain its own
    /// MX host (Microsoft 365), when it is one naming that domain's host.
    /// </summary>
    internal MxExpectation For(string domain)
        => _provider == null || !_provider.MxDependsOnDomain || DomainName.AreEqual(_domain, domain)
            ? this
            : new MxExpectation(_provider.MxRecordsFor(domain), _hostDescriptionKey, ExchangeServer, _provider, domain);

    /// <summary>
    /// True when <paramref name="host"/> is the provider's but not the MX host it gives this domain (another
    /// domain's contoso-com.mail.protection.outlook.com): mail may still get there, as the provider routes by recipient.
    /// </summary>
    internal bool IsProvidersOtherHost(string host)
        => _provider != null && _provider.MxDependsOnDomain && _domain != null && _provider.Recognises(host) && !_provider.IsMxHostFor(host, _domain);

    /// <summary>The remediation of a host outside the expected set: the provider's own words where it has them.</summary>
    internal string StrangerRemediationKey => _provider?.MxStrangerRemediationKey ?? "Mx_Stranger_Remediation";

    /// <summary>
    /// The expectation in words, for the result's Expected property: written once per UI culture, shared
    /// by every domain's result. <see cref="Any"/> is shared by every invocation of the session, so a text
    /// kept whatever the culture would answer a French run in the English of an earlier one.
    /// </summary>
    public string Describe()
    {
        CultureInfo culture = CultureInfo.CurrentUICulture;
        Description? described = _description;
        if (described == null || !Equals(described.Culture, culture))
        {
            described = new Description(culture, DescribeOnce());
            _description = described;
        }

        return described.Text;
    }

    private string DescribeOnce()
    {
        if (Records == null)
        {
            return Texts.Messages["Expected_Mx_Any"];
        }

        string set = string.Join(", ", Records.Select(r => r.Exchange));
        bool exchangeIsTheSet = ExchangeServer != null && Records.Count == 1 && DomainName.AreEqual(Records[0].Exchange, ExchangeServer);
        return ExchangeServer == null || exchangeIsTheSet ? set : Texts.Messages.Format("Expected_Mx_OrOnly", set, ExchangeServer);
    }

    internal bool Contains(string host)
    {
        if (Records == null)
        {
            return false;
        }

        if (_provider != null && _provider.MxDependsOnDomain)
        {
            return _provider.IsMxHostFor(host, _domain);
        }

        // A loop, not Any(): asked for every MX record of every domain, a lambda would be an allocation each time.
        for (int i = 0; i < Records.Count; i++)
        {
            MxRecordInfo record = Records[i];
            if (DomainName.AreEqual(record.Exchange, host))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The records to set, in words for a remediation in the UI culture.</summary>
    internal string Advice() => Records == null
        ? Texts.Messages["Mx_Advice_Any"]
        : string.Join(", ", Records.Select(r => Texts.Messages.Format("Mx_Advice_Record", r.Exchange, r.Preference)));

    /// <summary>A text and the culture it is written in, replaced whole so that another thread never reads half of it.</summary>
    private sealed class Description
    {
        public Description(CultureInfo culture, string text)
        {
            Culture = culture;
            Text = text;
        }

        public CultureInfo Culture { get; }

        public string Text { get; }
    }
}
