using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using ExchangeDiag.Dns;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

public class BlocklistQueryTests
{
    // ---- query names (RFC 5782 §2.1 and §2.4 examples) ----

    [Fact]
    public void Ipv4_query_name_reverses_the_octets_as_in_rfc5782_section_2_1()
        => Assert.Equal("99.2.0.192.bad.example.com", BlocklistQuery.QueryName(IPAddress.Parse("192.0.2.99"), "bad.example.com"));

    [Fact]
    public void Ipv6_query_name_reverses_the_nibbles_as_in_rfc5782_section_2_4()
        => Assert.Equal(
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com",
            BlocklistQuery.QueryName(IPAddress.Parse("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com"));

    [Fact]
    public void Ipv6_query_name_writes_all_32_nibbles_of_a_compressed_address()
    {
        string name = BlocklistQuery.QueryName(IPAddress.Parse("2001:db8::2"), "dnsbl.test");
        Assert.Equal("2.0." + string.Concat(Enumerable.Repeat("0.", 22)) + "8.b.d.0.1.0.0.2.dnsbl.test", name);
    }

    [Fact]
    public void Rfc5782_test_entry_is_asked_as_2_0_0_127()
        => Assert.Equal("2.0.0.127.zen.spamhaus.org", BlocklistQuery.QueryName(IPAddress.Parse("127.0.0.2"), "zen.spamhaus.org"));

    // ---- addresses ----

    [Theory]
    [InlineData("192.0.2.99", "192.0.2.99")]
    [InlineData(" 8.8.8.8 ", "8.8.8.8")]
    [InlineData("2001:DB8::1", "2001:db8::1")]
    [InlineData("::ffff:127.0.0.2", "::ffff:127.0.0.2")]
    public void Full_addresses_are_accepted(string input, string expected)
    {
        Assert.Equal(expected, BlocklistCheck.TryNormalizeAddress(input, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.2.3")]
    [InlineData("256.1.1.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::g")]
    [InlineData("192.0.2.1/24")]
    public void Partial_or_foreign_forms_are_refused_with_a_reason(string input)
    {
        Assert.Null(BlocklistCheck.TryNormalizeAddress(input, out string? error));
        Assert.StartsWith("is not an IP address: ", error);
    }

    [Theory]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.25", "private")]
    [InlineData("100.64.0.1", "shared")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("0.1.2.3", "this network")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fd00::1", "unique local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:10.0.0.1", "private")]
    public void Addresses_no_public_list_holds_are_not_asked_about(string address, string why)
        => Assert.Contains(why, BlocklistQuery.NotPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.2")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::2")]
    [InlineData("2a01:4f8::1")]
    public void Loopback_test_addresses_and_public_addresses_are_asked_about(string address)
        => Assert.Null(BlocklistQuery.NotPublic(IPAddress.Parse(address)));

    // ---- answers ----

    [Fact]
    public void Nxdomain_is_not_listed()
        => Assert.Equal(BlocklistVerdict.NotListed, Classify("dnsbl.test", DnsOutcome.NameError).Verdict);

    [Fact]
    public void Noerror_without_an_address_is_not_listed()
        => Assert.Equal(BlocklistVerdict.NotListed, Classify("dnsbl.test", DnsOutcome.Answered).Verdict);

    [Theory]
    [InlineData("127.0.0.2")]
    [InlineData("127.0.0.4")]
    [InlineData("127.0.0.10")]
    [InlineData("127.0.0.11")]
    public void Codes_127_0_0_2_to_11_are_listings(string code)
    {
        BlocklistAnswer answer = Classify("dnsbl.test", DnsOutcome.Answered, code);
        Assert.Equal(BlocklistVerdict.Listed, answer.Verdict);
        Assert.Equal(new[] { code }, answer.Codes);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.12")]
    [InlineData("127.0.1.2")]
    [InlineData("192.0.2.1")]
    [InlineData("10.0.0.1")]
    public void Other_answers_are_unexpected_never_listings(string code)
        => Assert.Equal(BlocklistVerdict.Unexpected, Classify("dnsbl.test", DnsOutcome.Answered, code).Verdict);

    [Theory]
    [InlineData("127.255.255.252", "typing error")]
    [InlineData("127.255.255.254", "public or open resolver")]
    [InlineData("127.255.255.255", "too many queries")]
    [InlineData("127.255.255.1", "refused")]
    public void Codes_127_255_255_x_are_refusals_with_their_meaning(string code, string meaning)
    {
        BlocklistAnswer answer = InEnglish(() => Classify("zen.spamhaus.org", DnsOutcome.Answered, code));
        Assert.Equal(BlocklistVerdict.Refused, answer.Verdict);
        Assert.Contains(meaning, answer.Meaning);
    }

    [Fact]
    public void A_refusal_outranks_a_listing_in_the_same_answer()
        => Assert.Equal(BlocklistVerdict.Refused, Classify("dnsbl.test", DnsOutcome.Answered, "127.0.0.2", "127.255.255.254").Verdict);

    [Theory]
    [InlineData(DnsOutcome.Timeout)]
    [InlineData(DnsOutcome.ServerError)]
    [InlineData(DnsOutcome.Refused)]
    [InlineData(DnsOutcome.NetworkError)]
    [InlineData(DnsOutcome.Malformed)]
    public void A_zone_that_does_not_answer_could_not_be_asked(DnsOutcome outcome)
        => Assert.Equal(BlocklistVerdict.CouldNotAsk, Classify("zen.spamhaus.org", outcome, "127.0.0.2").Verdict);

    [Theory]
    [InlineData("127.0.0.2", "SBL")]
    [InlineData("127.0.0.3", "SBL CSS")]
    [InlineData("127.0.0.4", "XBL")]
    [InlineData("127.0.0.9", "DROP")]
    [InlineData("127.0.0.10", "PBL")]
    [InlineData("127.0.0.11", "PBL")]
    public void Spamhaus_codes_have_their_meaning(string code, string list)
        => Assert.StartsWith("Spamhaus " + list, InEnglish(() => Classify("zen.spamhaus.org", DnsOutcome.Answered, code)).Meaning);

    [Fact]
    public void Spamhaus_bcl_code_30_is_a_listing_there_only()
    {
        Assert.Equal(BlocklistVerdict.Listed, Classify("zen.spamhaus.org", DnsOutcome.Answered, "127.0.0.30").Verdict);
        Assert.Equal(BlocklistVerdict.Unexpected, Classify("dnsbl.test", DnsOutcome.Answered, "127.0.0.30").Verdict);
    }

    [Fact]
    public void Several_codes_give_every_meaning()
    {
        BlocklistAnswer answer = InEnglish(() => Classify("zen.spamhaus.org", DnsOutcome.Answered, "127.0.0.2", "127.0.0.4"));
        Assert.Equal(new[] { "127.0.0.2", "127.0.0.4" }, answer.Codes);
        Assert.Contains("SBL", answer.Meaning);
        Assert.Contains("XBL", answer.Meaning);
    }

    [Fact]
    public void A_zone_of_unknown_codes_gives_no_meaning()
        => Assert.Null(Classify("dnsbl.test", DnsOutcome.Answered, "127.0.0.2").Meaning);

    [Fact]
    public void SpamCop_lists_with_127_0_0_2()
        => Assert.Contains("SpamCop", InEnglish(() => Classify("bl.spamcop.net", DnsOutcome.Answered, "127.0.0.2")).Meaning);

    [Fact]
    public void The_default_zones_are_spamhaus_zen_and_spamcop()
        => Assert.Equal(new[] { "zen.spamhaus.org", "bl.spamcop.net" }, BlocklistZones.Default);

    internal static BlocklistAnswer Classify(string zone, DnsOutcome outcome, params string[] answers)
        => BlocklistQuery.Classify(zone, outcome, answers.Select(IPAddress.Parse).ToList());

    internal static T InEnglish<T>(Func<T> run)
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            return run();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}

public class BlocklistRulesTests
{
    private static readonly string[] Zones = { "dnsbl.test", "zen.spamhaus.org" };

    [Fact]
    public void Not_listed_anywhere_passes_with_the_pass_message()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Equal("passed", result.Message);
        Assert.Null(result.Remediation);
        Assert.Empty(result.Listings);
    }

    [Fact]
    public void A_listing_fails_with_Blocklisted_naming_the_address_zone_meaning_and_reason()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.Answered, "spam source", "127.0.0.2"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, result.Cause);
        Assert.Contains("192.0.2.10 is listed on the blocklist zen.spamhaus.org: Spamhaus SBL", result.Message);
        Assert.Contains("\"spam source\"", result.Message);
        Assert.Contains("check.spamhaus.org", result.Remediation);
        BlocklistListing listing = Assert.Single(result.Listings);
        Assert.Equal("127.0.0.2", listing.Answer);
        Assert.Equal("spam source", listing.Reason);
        Assert.StartsWith("192.0.2.10 on zen.spamhaus.org: 127.0.0.2 (Spamhaus SBL", listing.ToString());
    }

    [Fact]
    public void A_listing_without_a_known_meaning_gives_the_code()
    {
        BlocklistCheckResult result = Conclude(Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Answered, null, "127.0.0.4"), Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));
        Assert.Contains("dnsbl.test: answer 127.0.0.4.", result.Message);
        Assert.Contains("removal page", result.Remediation);
    }

    [Fact]
    public void A_refusal_next_to_a_clean_answer_is_a_warning_never_a_listing()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.Answered, null, "127.255.255.254"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Empty(result.Listings);
        Assert.Contains("zen.spamhaus.org refused to answer about 192.0.2.10 (127.255.255.254: the query came through a public or open resolver)", result.Message);
        Assert.Contains("resolver of your own", result.Remediation);
    }

    [Fact]
    public void An_unexpected_answer_is_a_warning_never_a_listing()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Answered, null, "192.0.2.1"),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Empty(result.Listings);
        Assert.Contains("answered 192.0.2.1 about 192.0.2.10, which is no listing code", result.Message);
    }

    [Fact]
    public void A_zone_that_does_not_answer_is_a_warning_for_that_zone()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.Refused));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.NotEqual(DiagnosticCause.LocalDnsFailure, result.Cause);
        Assert.Contains("Could not ask the blocklist zen.spamhaus.org about 192.0.2.10 (REFUSED)", result.Message);
    }

    [Fact]
    public void No_usable_answer_from_any_zone_is_a_warning_that_the_listing_is_unknown_not_a_dns_error()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Timeout),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.Answered, null, "127.255.255.254"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Equal("unknown: no blocklist answered", result.Observed);
        Assert.Contains("Whether 192.0.2.10 is listed is unknown", result.Message);
        Assert.Contains("resolver of your own (-DnsServer)", result.Message);
        Assert.Contains("-DnsServer", result.Remediation);
        Assert.Contains("dnsbl.test: no answer (timeout)", result.Message);
        Assert.Contains("zen.spamhaus.org: refused (127.255.255.254)", result.Message);
        Assert.Contains(result.Steps, s => s.Name == "Finding" && s.Status == CheckStatus.Warning);
    }

    // ---- the test entry 127.0.0.2 (RFC 5782 §5) ----

    [Fact]
    public void Not_listed_from_a_zone_that_does_not_list_its_test_entry_is_a_warning_never_not_listed()
    {
        BlocklistCheckResult result = Conclude(
            new[] { Test("dnsbl.test", DnsOutcome.NameError), Test("zen.spamhaus.org", DnsOutcome.Answered, "127.0.0.2") },
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Contains("Could not ask the blocklist dnsbl.test about 192.0.2.10: it does not list its test entry 127.0.0.2 (NXDOMAIN)", result.Message);
        Assert.Contains("resolver of your own", result.Remediation);
    }

    [Fact]
    public void A_resolver_that_answers_nxdomain_for_everything_gives_no_pass_but_unknown()
    {
        BlocklistCheckResult result = Conclude(
            new[] { Test("dnsbl.test", DnsOutcome.NameError), Test("zen.spamhaus.org", DnsOutcome.NameError) },
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.None, result.Cause);
        Assert.Contains("Whether 192.0.2.10 is listed is unknown", result.Message);
        Assert.Contains("dnsbl.test: test entry 127.0.0.2 not listed (NXDOMAIN)", result.Message);
        Assert.Equal(2, result.Steps.Count(s => s.Name == "Finding" && s.Status == CheckStatus.Warning));
    }

    [Fact]
    public void A_test_entry_refused_or_rewritten_does_not_verify_the_zone_either()
    {
        BlocklistCheckResult result = Conclude(
            new[] { Test("dnsbl.test", DnsOutcome.Answered, "192.0.2.1"), Test("zen.spamhaus.org", DnsOutcome.Answered, "127.255.255.254") },
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.NameError),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("dnsbl.test: test entry 127.0.0.2 not listed (answer 192.0.2.1)", result.Message);
        Assert.Contains("zen.spamhaus.org: test entry 127.0.0.2 not listed (refused (127.255.255.254))", result.Message);
    }

    [Fact]
    public void A_listing_stays_a_listing_even_from_a_zone_that_does_not_list_its_test_entry()
    {
        BlocklistCheckResult result = Conclude(
            new[] { Test("dnsbl.test", DnsOutcome.NameError), Test("zen.spamhaus.org", DnsOutcome.Answered, "127.0.0.2") },
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Answered, null, "127.0.0.4"),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Single(result.Listings);
    }

    // ---- Spamhaus PBL on an MX host ----

    [Theory]
    [InlineData("127.0.0.10")]
    [InlineData("127.0.0.11")]
    public void A_pbl_listing_alone_of_an_mx_host_is_a_warning_that_keeps_Blocklisted(string code)
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.25", "dnsbl.test", DnsOutcome.NameError, mxHost: "mx.example"),
            Probe("192.0.2.25", "zen.spamhaus.org", DnsOutcome.Answered, null, new[] { code }, mxHost: "mx.example"));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal(DiagnosticCause.Blocklisted, result.Cause);
        Assert.Single(result.Listings);
        Assert.Contains("192.0.2.25 (MX host mx.example) is on the blocklist zen.spamhaus.org only as Spamhaus PBL", result.Message);
        Assert.Contains("not a spam report", result.Message);
        Assert.Contains("only if this host sends mail directly", result.Message);
        Assert.Contains("smarthost", result.Remediation);
    }

    [Fact]
    public void A_pbl_listing_of_a_sending_address_or_an_address_given_stays_failed()
    {
        foreach (bool outbound in new[] { true, false })
        {
            BlocklistCheckResult result = Conclude(
                Probe("192.0.2.25", "dnsbl.test", DnsOutcome.NameError, outbound: outbound),
                Probe("192.0.2.25", "zen.spamhaus.org", DnsOutcome.Answered, null, new[] { "127.0.0.10" }, outbound: outbound));

            Assert.Equal(CheckStatus.Failed, result.Status);
            Assert.Equal(DiagnosticCause.Blocklisted, result.Cause);
            Assert.Contains("is listed on the blocklist zen.spamhaus.org: Spamhaus PBL", result.Message);
        }
    }

    [Fact]
    public void An_mx_host_on_pbl_and_another_spamhaus_list_or_on_pbl_like_codes_elsewhere_stays_failed()
    {
        BlocklistCheckResult both = Conclude(
            Probe("192.0.2.25", "dnsbl.test", DnsOutcome.NameError, mxHost: "mx.example"),
            Probe("192.0.2.25", "zen.spamhaus.org", DnsOutcome.Answered, null, new[] { "127.0.0.4", "127.0.0.10" }, mxHost: "mx.example"));
        Assert.Equal(CheckStatus.Failed, both.Status);

        BlocklistCheckResult other = Conclude(
            Probe("192.0.2.25", "dnsbl.test", DnsOutcome.Answered, null, new[] { "127.0.0.10" }, mxHost: "mx.example"),
            Probe("192.0.2.25", "zen.spamhaus.org", DnsOutcome.NameError, mxHost: "mx.example"));
        Assert.Equal(CheckStatus.Failed, other.Status);
    }

    [Fact]
    public void An_mx_host_on_pbl_next_to_a_real_listing_of_another_address_is_failed_by_that_listing()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.25", "zen.spamhaus.org", DnsOutcome.Answered, null, new[] { "127.0.0.10" }, mxHost: "mx.example"),
            Probe("192.0.2.26", "zen.spamhaus.org", DnsOutcome.Answered, null, new[] { "127.0.0.2" }, mxHost: "mx2.example"),
            Probe("192.0.2.25", "dnsbl.test", DnsOutcome.NameError, mxHost: "mx.example"),
            Probe("192.0.2.26", "dnsbl.test", DnsOutcome.NameError, mxHost: "mx2.example"));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Equal(2, result.Listings.Count);
        Assert.StartsWith("192.0.2.26 (MX host mx2.example) is listed", result.Message);
    }

    [Fact]
    public void A_listing_outranks_the_warnings_and_counts_them()
    {
        BlocklistCheckResult result = Conclude(
            Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Answered, null, "127.0.0.2"),
            Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.Timeout));

        Assert.Equal(CheckStatus.Failed, result.Status);
        Assert.Contains("and 1 more finding", result.Message);
    }

    [Fact]
    public void Refusals_of_one_zone_are_one_warning_naming_three_addresses_and_how_many_more()
    {
        var probes = Enumerable.Range(1, 5).Select(i => Probe($"192.0.2.{i}", "zen.spamhaus.org", DnsOutcome.Answered, null, "127.255.255.254"))
            .Concat(Enumerable.Range(1, 5).Select(i => Probe($"192.0.2.{i}", "dnsbl.test", DnsOutcome.NameError)))
            .ToArray();
        BlocklistCheckResult result = Conclude(probes);

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Single(result.Steps, s => s.Name == "Finding");
        Assert.Contains("192.0.2.1, 192.0.2.2, 192.0.2.3 and 2 more", result.Message);
    }

    [Fact]
    public void Only_private_addresses_pass_with_nothing_to_ask()
    {
        var result = new BlocklistCheckResult("private.example");
        BlocklistQueryTests.InEnglish(() =>
        {
            BlocklistRules.ConcludeWithoutAddress(result, new[] { "10.0.0.25", "192.168.1.25" }, hostsUnknown: false);
            return result;
        });
        Assert.Equal(CheckStatus.Passed, result.Status);
        Assert.Contains("no public address", result.Message);
    }

    [Fact]
    public void No_address_because_dns_failed_is_an_error()
    {
        var result = new BlocklistCheckResult("dead.example");
        BlocklistQueryTests.InEnglish(() =>
        {
            BlocklistRules.ConcludeWithoutAddress(result, Array.Empty<string>(), hostsUnknown: true);
            return result;
        });
        Assert.Equal(CheckStatus.Error, result.Status);
    }

    [Fact]
    public void No_address_at_all_is_a_warning()
    {
        var result = new BlocklistCheckResult("dead.example");
        BlocklistQueryTests.InEnglish(() =>
        {
            BlocklistRules.ConcludeWithoutAddress(result, Array.Empty<string>(), hostsUnknown: false);
            return result;
        });
        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains("Test-ExchangeMx", result.Remediation);
    }

    [Fact]
    public void Cleaning_passes_the_reasons_through_the_cleaner()
    {
        BlocklistCheckResult result = Conclude(Probe("192.0.2.10", "dnsbl.test", DnsOutcome.Answered, "secret-token", "127.0.0.2"), Probe("192.0.2.10", "zen.spamhaus.org", DnsOutcome.NameError));
        result.CleanTexts(text => text.Replace("secret-token", "***"));
        Assert.Equal("***", result.Listings[0].Reason);
        Assert.DoesNotContain("secret-token", result.Message);
    }

    private static BlocklistProbe Probe(string address, string zone, DnsOutcome outcome, string? reason = null, params string[] answers)
        => Probe(address, zone, outcome, reason, answers, mxHost: null);

    private static BlocklistProbe Probe(string address, string zone, DnsOutcome outcome, string? reason, string[] answers, string? mxHost = null, bool outbound = false)
    {
        BlocklistAnswer answer = BlocklistQueryTests.InEnglish(() => BlocklistQueryTests.Classify(zone, outcome, answers));
        string code = outcome switch
        {
            DnsOutcome.NameError => "NXDOMAIN",
            DnsOutcome.Refused => "REFUSED",
            DnsOutcome.Timeout => "no answer (timeout)",
            _ => "NOERROR",
        };
        return new BlocklistProbe(new BlocklistCandidate(IPAddress.Parse(address), mxHost, outbound), zone, answer, reason, code);
    }

    private static BlocklistProbe Probe(string address, string zone, DnsOutcome outcome, string? mxHost = null, bool outbound = false)
        => Probe(address, zone, outcome, null, Array.Empty<string>(), mxHost, outbound);

    /// <summary>A zone's answer about its test entry 127.0.0.2.</summary>
    private static BlocklistZoneTest Test(string zone, DnsOutcome outcome, params string[] answers)
        => new BlocklistZoneTest(zone, BlocklistQueryTests.InEnglish(() => BlocklistQueryTests.Classify(zone, outcome, answers)), outcome == DnsOutcome.NameError ? "NXDOMAIN" : "NOERROR");

    /// <summary>Concludes with every zone listing its test entry, as a working list does.</summary>
    private static BlocklistCheckResult Conclude(params BlocklistProbe[] probes)
        => Conclude(Zones.Select(z => Test(z, DnsOutcome.Answered, "127.0.0.2")).ToArray(), probes);

    private static BlocklistCheckResult Conclude(BlocklistZoneTest[] tests, params BlocklistProbe[] probes)
    {
        var result = new BlocklistCheckResult(probes[0].Candidate.Text);
        return BlocklistQueryTests.InEnglish(() =>
        {
            IReadOnlyList<BlocklistProbe> verified = BlocklistRules.Verify(probes, tests.ToDictionary(t => t.Zone));
            BlocklistRules.Conclude(result, Zones, verified, "passed");
            return result;
        });
    }
}
