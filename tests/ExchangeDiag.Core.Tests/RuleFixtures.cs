using System;
using System.Collections.Generic;
using System.Linq;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Tests;

/// <summary>Builders the MX and SRV rule tests share: resolved hosts and the verdict applied to a result.</summary>
internal static class RuleFixtures
{
    public const string PassMessage = "passed";

    /// <summary>Applies the verdict and checks the contract every result keeps: Remediation only when not Passed.</summary>
    public static T Apply<T>(Verdict verdict, T result)
        where T : CheckResult
    {
        verdict.ApplyTo(result, PassMessage);
        if (result.Status == CheckStatus.Passed)
        {
            Assert.Null(result.Remediation);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Remediation));
        }

        return result;
    }

    public static Dictionary<string, HostResolution> Hosts(params HostResolution[] hosts)
        => hosts.ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);

    public static HostResolution Resolving(string name)
        => new HostResolution(name, new[] { "192.0.2.1" }, null, DnsOutcome.Answered, "192.0.2.1");

    public static HostResolution NotExisting(string name)
        => new HostResolution(name, Array.Empty<string>(), null, DnsOutcome.NameError, "does not exist (NXDOMAIN)");

    public static HostResolution NoAddress(string name)
        => new HostResolution(name, Array.Empty<string>(), null, DnsOutcome.Answered, "has no A or AAAA record");

    public static HostResolution Unknown(string name, DnsOutcome outcome)
        => new HostResolution(name, Array.Empty<string>(), null, outcome, $"unknown: 192.0.2.53:53 answered {outcome}");

    public static HostResolution Alias(string name, string canonical)
        => new HostResolution(name, new[] { "192.0.2.1" }, canonical, DnsOutcome.Answered, $"192.0.2.1 (alias of {canonical})");
}
