using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.DomainAuth;

namespace ExchangeDiag.Commands;

/// <summary>Test-ExchangeBlocklist: do DNS blocklists list a domain's mail servers, or an address?</summary>
/// <remarks>
/// Built on <see cref="ParallelCheckCommand{TResult}"/> rather than DnsCheckCommand: that class
/// makes -Domain mandatory in every parameter set, and -IPAddress is the other way in here.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "ExchangeBlocklist", DefaultParameterSetName = DomainSet, HelpUri = "https://github.com/exchangediag/ExchangeDiag/blob/main/docs/en-US/Test-ExchangeBlocklist.md")]
[OutputType(typeof(BlocklistCheckResult), typeof(bool))]
public sealed class TestExchangeBlocklistCommand : ParallelCheckCommand<BlocklistCheckResult>
{
    private const string DomainSet = "Domain";
    private const string AddressSet = "IPAddress";
    private IReadOnlyList<string> _zones = BlocklistZones.Default;

    /// <summary>The domains whose MX hosts' addresses are checked; an e-mail address stands for its domain.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DomainSet)]
    [Alias(MailboxAddress.EmailAddress, MailboxAddress.PrimarySmtpAddress, MailboxAddress.WindowsEmailAddress, MailboxAddress.Mail, MailboxAddress.UserPrincipalName)]
    [AllowEmptyString]
    public string[] Domain { get; set; } = Array.Empty<string>();

    /// <summary>IPv4 or IPv6 addresses to check, such as a mail server's sending address.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = AddressSet)]
    [AllowEmptyString]
    public string[] IPAddress { get; set; } = Array.Empty<string>();

    /// <summary>The DNS blocklists (DNSBL zones) to ask, instead of the default set.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateCount(1, 16)]
    public string[]? Zone { get; set; }

    private bool AddressMode => ParameterSetName == AddressSet;

    protected override IEnumerable<string> InputValues => AddressMode ? IPAddress : Domain;

    protected override string InvalidInputErrorId => AddressMode ? "InvalidIPAddress" : "InvalidDomainName";

    protected override void Begin()
    {
        string[]? zones = HostNames.Normalize(this, nameof(Zone), Zone);
        if (zones != null)
        {
            _zones = zones.Distinct(StringComparer.Ordinal).ToArray();
        }

        base.Begin();
    }

    protected override string? Normalize(string input, out string? error)
        => AddressMode ? BlocklistCheck.TryNormalizeAddress(input, out error) : DnsCheckCommand<BlocklistCheckResult>.NormalizeDomain(input, out error);

    protected override Task<BlocklistCheckResult> CheckAsync(string input, CancellationToken stop)
        => AddressMode
            ? BlocklistCheck.RunForAddressAsync(input, _zones, Dns, Timeout, stop)
            : BlocklistCheck.RunForDomainAsync(input, _zones, Array.Empty<string>(), Dns, Timeout, stop);
}
