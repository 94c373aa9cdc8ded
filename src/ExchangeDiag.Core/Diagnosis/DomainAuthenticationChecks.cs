using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExchangeDiag.Checks;
using ExchangeDiag.DomainAuth;
using ExchangeDiag.Dns;
using ExchangeDiag.Http;

namespace ExchangeDiag.Diagnosis;

/// <summary>
/// The domain's mail authentication in a diagnosis: SPF, DKIM, DMARC, DNS blocklists and MTA-STS,
/// which say why its mail may be refused or filed as spam elsewhere. They need no password and run
/// beside the logins, once MX and SRV have named the provider.
/// </summary>
internal static class DomainAuthenticationChecks
{
    /// <summary>What the blocklists get at least when a slow SPF walk used the deadline: a round of questions.</summary>
    private static readonly TimeSpan MinimumBlocklistTime = TimeSpan.FromSeconds(2);

    /// <param name="accountState">The provider's account state, when its API is at hand: it names the DKIM selectors the provider signs with.</param>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(DiagnosisRequest request, string domain, MailProvider? provider, DnsQuerier dns, Func<HttpSession> newHttpSession, Task<CheckResult>? accountState, CancellationToken stop)
    {
        TimeSpan timeout = request.Timeout;
        Task<SpfCheckResult> spf = CheckGuard.RunAsync(
            () => SpfCheck.RunAsync(domain, SpfExpectation.Create(null, provider), dns, timeout, stop),
            () => new SpfCheckResult(domain),
            stop);
        Task<DkimCheckResult> dkim = CheckGuard.RunAsync(
            async () => await DkimCheck.RunAsync(domain, request.DkimSelectors, provider, dns, timeout, stop, await ProviderSelectorsAsync(accountState).ConfigureAwait(false)).ConfigureAwait(false),
            () => new DkimCheckResult(domain),
            stop);
        Task<DmarcCheckResult> dmarc = CheckGuard.RunAsync(
            () => DmarcCheck.RunAsync(domain, dns, timeout, stop),
            () => new DmarcCheckResult(domain),
            stop);
        Task<MtaStsCheckResult> mtaSts = CheckGuard.RunAsync(
            async () =>
            {
                using HttpSession http = newHttpSession();
                return await MtaStsCheck.RunAsync(domain, http, dns, timeout, stop).ConfigureAwait(false);
            },
            () => new MtaStsCheckResult(domain),
            stop);

        // The servers that send the domain's mail are the ones its SPF record names itself. The
        // blocklists are asked once SPF has named them, within what is left of the same deadline.
        var clock = Stopwatch.StartNew();
        SpfCheckResult spfResult = await spf.ConfigureAwait(false);
        TimeSpan left = timeout - clock.Elapsed;
        BlocklistCheckResult blocklist = await CheckGuard.RunAsync(
            () => BlocklistCheck.RunForDomainAsync(domain, request.BlocklistZones ?? BlocklistZones.Default, SpfAddresses(spfResult), dns, left > MinimumBlocklistTime ? left : MinimumBlocklistTime, stop, SpfNamesMxHosts(spfResult)),
            () => new BlocklistCheckResult(domain),
            stop).ConfigureAwait(false);

        return new CheckResult[] { spfResult, await dkim.ConfigureAwait(false), await dmarc.ConfigureAwait(false), blocklist, await mtaSts.ConfigureAwait(false) };
    }

    /// <summary>The results of checks the diagnosis did not run, each Skipped with the reason.</summary>
    public static IReadOnlyList<CheckResult> Skipped(string domain, string reason)
        => new CheckResult[]
        {
            SkippedResults.Skip(new SpfCheckResult(domain), reason),
            SkippedResults.Skip(new DkimCheckResult(domain), reason),
            SkippedResults.Skip(new DmarcCheckResult(domain), reason),
            SkippedResults.Skip(new BlocklistCheckResult(domain), reason),
            SkippedResults.Skip(new MtaStsCheckResult(domain), reason),
        };

    /// <summary>
    /// The selectors the provider made for the domain, which no guess finds (ovhex&lt;N&gt;-selector1),
    /// to try before the common ones; null when its API is not at hand or names none.
    /// </summary>
    private static async Task<IReadOnlyList<string>?> ProviderSelectorsAsync(Task<CheckResult>? accountState)
    {
        if (accountState == null)
        {
            return null;
        }

        return await accountState.ConfigureAwait(false) is AccountStateResult state && state.DomainDkimSelectors.Count > 0
            ? state.DomainDkimSelectors.ToList()
            : null;
    }

    /// <summary>The domain's own SPF record lets its MX hosts send (a passing mx term without another domain).</summary>
    private static bool SpfNamesMxHosts(SpfCheckResult spf)
        => spf.Mechanisms.Any(m => m.Name == "mx" && m.Qualifier == "+" && (m.Value == null || m.Value.StartsWith("/", StringComparison.Ordinal)));

    /// <summary>
    /// The addresses the domain's own SPF record lets send (ip4: and ip6: terms that pass); the
    /// blocklist check asks about single hosts and leaves wider ranges out, saying so.
    /// </summary>
    private static IReadOnlyCollection<string> SpfAddresses(SpfCheckResult spf)
        => spf.Mechanisms
            .Where(m => (m.Name == "ip4" || m.Name == "ip6") && m.Qualifier == "+" && m.Value != null)
            .Select(m => m.Value!)
            .ToList();
}
