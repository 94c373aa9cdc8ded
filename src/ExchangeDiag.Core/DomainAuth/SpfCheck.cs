using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using ExchangeDiag.Checks;
using ExchangeDiag.Dns;

namespace ExchangeDiag.DomainAuth;

/// <summary>Checks the SPF record of one domain (RFC 7208): one record, valid, within the lookup limits, with a strict "all".</summary>
public static class SpfCheck
{
    /// <summary>Records past this size do not fit a 512-byte UDP answer with its header (RFC 7208 §3.4); only noted as a step.</summary>
    internal const int UdpFriendlySize = 450;

    /// <param name="domain">A domain already normalised by <see cref="DomainName.TryNormalize"/>.</param>
    public static Task<SpfCheckResult> RunAsync(string domain, SpfExpectation expectation, DnsQuerier dns, TimeSpan timeout, CancellationToken stop)
    {
        var result = new SpfCheckResult(domain) { Expected = expectation.Describe() };
        return DnsCheck.RunAsync(result, dns, timeout, stop, async deadline =>
        {
            // Through CNAMEs, as a receiver's resolver answers: an authoritative server (-DnsServer)
            // answers an alias into another zone with the CNAME alone.
            DnsLookup lookup = (await dns.QueryThroughAliasesAsync(domain, QueryType.TXT, deadline).ConfigureAwait(false)).Last;
            if (lookup.Outcome == DnsOutcome.InvalidRecord)
            {
                // An alias no resolver follows: the domain's data is wrong, not DNS.
                result.AddStep("TXT lookup", CheckStatus.Failed, lookup.ToString(), lookup.Duration);
                result.Observed = lookup.Code;
                result.Conclude(CheckStatus.Failed, DiagnosticCause.SpfMissing,
                    Texts.Spf.Format("Spf_Missing", domain), MissingRemediation(domain, expectation));
                return;
            }

            if (!await DnsCheck.DomainRecordAsync(result, "TXT lookup", domain, lookup, dns, deadline).ConfigureAwait(false))
            {
                return;
            }

            Verdict verdict = await EvaluateAsync(result, domain, DnsCheck.TxtRecords(lookup), expectation, QueryFollowingAliases(dns), deadline).ConfigureAwait(false);
            verdict.ApplyTo(result, PassMessage(result));
        });
    }

    /// <summary>How the walk asks DNS: through CNAMEs, as a resolver answers a receiver.</summary>
    private static Func<string, QueryType, CancellationToken, Task<DnsLookup>> QueryFollowingAliases(DnsQuerier dns)
        => async (name, type, token) => (await dns.QueryThroughAliasesAsync(name, type, token).ConfigureAwait(false)).Last;

    /// <summary>
    /// Turns the domain's TXT records into findings: picks the SPF record, parses it, follows its
    /// includes and redirect through <paramref name="query"/> and applies the rules. Fills the
    /// result's record properties and steps; the caller applies the verdict.
    /// </summary>
    internal static async Task<Verdict> EvaluateAsync(SpfCheckResult result, string domain, IReadOnlyList<string> txtRecords, SpfExpectation expectation,
        Func<string, QueryType, CancellationToken, Task<DnsLookup>> query, CancellationToken cancellationToken)
    {
        var verdict = new Verdict();
        List<string> spf = txtRecords.Where(SpfParser.IsSpfRecord).ToList();
        if (spf.Count == 0)
        {
            result.Observed = txtRecords.Count == 0 ? Texts.Spf["Spf_ObservedNoTxt"] : Texts.Spf.Format("Spf_ObservedNoSpf", txtRecords.Count);
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfMissing, Texts.Spf.Format("Spf_Missing", domain), MissingRemediation(domain, expectation));
            return verdict;
        }

        if (spf.Count > 1)
        {
            result.Observed = Texts.Spf.Format("Spf_ObservedMany", spf.Count, string.Join(" | ", spf.Take(5).Select(r => ServerText.Printable(r, 200))));
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid, Texts.Spf.Format("Spf_Multiple", domain, spf.Count), Texts.Spf.Format("Spf_Multiple_Remediation", domain));
            return verdict;
        }

        string text = spf[0];
        result.Record = ServerText.Printable(text);
        result.Observed = ServerText.Printable(text, 600);
        int size = System.Text.Encoding.UTF8.GetByteCount(text);
        result.AddStep("SPF record", CheckStatus.Passed, size > UdpFriendlySize
            ? $"{size} bytes, more than the {UdpFriendlySize} that fit a 512-byte UDP answer (RFC 7208 §3.4): receivers ask again over TCP or with EDNS"
            : $"{size} bytes");

        SpfParseResult parsed = SpfParser.Parse(text);
        if (parsed.Record == null)
        {
            result.AddStep("Parse", CheckStatus.Failed, $"invalid term '{parsed.BadTerm}': {parsed.Error}");
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_Syntax", domain, parsed.BadTerm, Reason(parsed.Error!.Value)),
                Texts.Spf.Format("Spf_Syntax_Remediation", domain, parsed.BadTerm));
            return verdict;
        }

        SpfRecord record = parsed.Record;
        result.Mechanisms = new SummaryList<SpfTermInfo>(record.Mechanisms.Select(Info));
        result.Modifiers = new SummaryList<SpfTermInfo>(record.Modifiers.Select(Info));

        var walk = new SpfWalk(result, verdict, query, cancellationToken);
        char all = await walk.WalkAsync(domain, record, new[] { domain }).ConfigureAwait(false);
        result.LookupCount = walk.Lookups;
        result.VoidLookupCount = walk.Voids;
        result.Includes = new SummaryList<string>(walk.Followed);
        walk.Conclude(domain);

        AddAllFindings(verdict, domain, record, all);
        AddExpectationFindings(verdict, domain, record, expectation, walk);
        return verdict;
    }

    private static void AddAllFindings(Verdict verdict, string domain, SpfRecord record, char all)
    {
        if (all == '+')
        {
            string term = record.All?.Text ?? "+all";
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_PassAll", domain, term), Texts.Spf.Format("Spf_PassAll_Remediation", domain, term));
        }
        else if (all == '?')
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_NeutralAll", domain), Texts.Spf.Format("Spf_NeutralAll_Remediation", domain));
        }
        else if (all == SpfWalk.NoAll && record.All == null && record.Redirect == null)
        {
            verdict.Add(CheckStatus.Warning, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_NoAll", domain), Texts.Spf.Format("Spf_NoAll_Remediation", domain));
        }
    }

    private static void AddExpectationFindings(Verdict verdict, string domain, SpfRecord record, SpfExpectation expectation, SpfWalk walk)
    {
        foreach (string expected in expectation.Includes)
        {
            if (walk.Named.Contains(expected))
            {
                continue;
            }

            if (walk.Stopped)
            {
                // Past the limits the tree was not read to the end: the include may be further down.
                continue;
            }

            string message = expectation.ProviderName == null
                ? Texts.Spf.Format("Spf_ExpectedIncludeMissing", domain, expected)
                : Texts.Spf.Format("Spf_ProviderIncludeMissing", domain, expected, expectation.ProviderName);
            verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid, message,
                Texts.Spf.Format("Spf_IncludeMissing_Remediation", domain, expected, ServerText.Printable(WithInclude(record, expected), 600)));
        }
    }

    /// <summary>The record with include:<paramref name="include"/> added before its "all" (or its redirect), for the advice.</summary>
    internal static string WithInclude(SpfRecord record, string include)
    {
        var terms = record.Terms.Select(t => t.Text).ToList();
        int at = record.Terms.ToList().FindIndex(t => t.Kind == SpfTermKind.All || t.Kind == SpfTermKind.Redirect);
        terms.Insert(at < 0 ? terms.Count : at, "include:" + include);
        return "v=spf1 " + string.Join(" ", terms);
    }

    private static string MissingRemediation(string domain, SpfExpectation expectation)
    {
        string? suggested = expectation.SuggestedRecord();
        return suggested == null
            ? Texts.Spf.Format("Spf_Missing_Remediation", domain)
            : Texts.Spf.Format("Spf_Missing_RemediationRecord", domain, suggested);
    }

    internal static string PassMessage(SpfCheckResult result)
    {
        SpfTermInfo? all = result.Mechanisms.FirstOrDefault(m => m.Name == "all");
        string ending = all?.ToString() ?? result.Modifiers.FirstOrDefault(m => m.Name == "redirect")?.ToString() ?? string.Empty;
        return Texts.Spf.Format("Spf_Passed", result.Domain, ending, result.LookupCount);
    }

    internal static string Reason(SpfSyntaxError error) => Texts.Spf.Format("SyntaxReason_" + error);

    private static SpfTermInfo Info(SpfTerm term)
        => new SpfTermInfo(term.IsModifier ? null : term.Qualifier.ToString(), term.Name, term.Value == null ? null : ServerText.Printable(term.Value, 300), ServerText.Printable(term.Text, 300));

    /// <summary>
    /// Follows a record's includes and redirect as a receiver would, without a sender address:
    /// counts the DNS-querying terms and the void lookups, and stops following once either limit
    /// is passed, so that a hostile tree costs at most a dozen questions.
    /// </summary>
    private sealed class SpfWalk
    {
        public const char NoAll = '\0';
        public const char Unknown = '*';
        private const int LookupLimit = 10;
        private const int VoidLimit = 2;
        private const int MxHostLimit = 10;

        private readonly SpfCheckResult _result;
        private readonly Verdict _verdict;
        private readonly Func<string, QueryType, CancellationToken, Task<DnsLookup>> _query;
        private readonly CancellationToken _token;
        private readonly List<string> _voidNames = new List<string>();
        private string? _limitChain;
        private bool _ptrSeen;
        private bool _unavailableSeen;

        public SpfWalk(SpfCheckResult result, Verdict verdict, Func<string, QueryType, CancellationToken, Task<DnsLookup>> query, CancellationToken token)
        {
            _result = result;
            _verdict = verdict;
            _query = query;
            _token = token;
        }

        public int Lookups { get; private set; }

        public int Voids { get; private set; }

        /// <summary>The domains whose records were read, in order.</summary>
        public List<string> Followed { get; } = new List<string>();

        /// <summary>Every domain an include or redirect names, followed or not.</summary>
        public HashSet<string> Named { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public bool LimitPassed => _limitChain != null;

        public bool Stopped => LimitPassed || Voids > VoidLimit;

        /// <summary>The findings of the limits, once the whole tree has been walked.</summary>
        public void Conclude(string domain)
        {
            if (_limitChain != null)
            {
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_TooManyLookups", domain, Lookups, _limitChain),
                    Texts.Spf.Format("Spf_TooManyLookups_Remediation", domain));
            }

            if (Voids > VoidLimit)
            {
                string names = string.Join(", ", _voidNames);
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_TooManyVoid", domain, Voids, names),
                    Texts.Spf.Format("Spf_TooManyVoid_Remediation", domain, names));
            }
        }

        /// <summary>
        /// Walks one record; returns its effective "all" qualifier (through its redirect), <see cref="NoAll"/>
        /// when it has none, <see cref="Unknown"/> when its redirect could not be followed.
        /// </summary>
        public async Task<char> WalkAsync(string domain, SpfRecord record, IReadOnlyList<string> path)
        {
            foreach (SpfTerm term in record.EvaluatedMechanisms)
            {
                if (term.Kind == SpfTermKind.All)
                {
                    int ignored = record.Mechanisms.Count - record.Mechanisms.ToList().IndexOf(term) - 1;
                    if (ignored > 0 || record.Redirect != null)
                    {
                        _result.AddStep("Ignored", CheckStatus.Passed,
                            $"{domain}: terms after {term.Text} and any redirect are never evaluated (RFC 7208 §5.1, §6.1)");
                    }

                    return term.Qualifier;
                }

                if (!term.QueriesDns)
                {
                    continue;
                }

                if (term.Kind == SpfTermKind.Ptr)
                {
                    // Counted, never asked: its lookups need the sender's address.
                    Count(term, path);
                    Ptr(domain, term);
                    continue;
                }

                if (!Count(term, path))
                {
                    continue;
                }

                string? target = Target(term, domain);
                if (target == null)
                {
                    continue;
                }

                switch (term.Kind)
                {
                    case SpfTermKind.Include:
                        await IncludeAsync(domain, term, target, path).ConfigureAwait(false);
                        break;
                    case SpfTermKind.Mx:
                        await MxAsync(domain, term, target).ConfigureAwait(false);
                        break;
                    default:
                        await AddressAsync(term, target).ConfigureAwait(false);
                        break;
                }
            }

            SpfTerm? redirect = record.EffectiveRedirect;
            if (redirect == null)
            {
                return NoAll;
            }

            string? redirectTarget = Count(redirect, path) ? Target(redirect, domain) : null;
            if (redirectTarget == null)
            {
                return Unknown;
            }

            if (IsLoop(domain, redirect, redirectTarget, path))
            {
                return Unknown;
            }

            SpfRecord? next = await FetchAsync(domain, redirect, redirectTarget).ConfigureAwait(false);
            return next == null ? Unknown : await WalkAsync(redirectTarget, next, Append(path, redirectTarget)).ConfigureAwait(false);
        }

        /// <summary>Counts a DNS-querying term; false when it must not be followed (a limit is passed).</summary>
        private bool Count(SpfTerm term, IReadOnlyList<string> path)
        {
            Lookups++;
            if (Lookups > LookupLimit && _limitChain == null)
            {
                _limitChain = Chain(path, term);
                _result.AddStep("Lookup limit", CheckStatus.Failed, $"lookup {Lookups} at {_limitChain}: past the limit of {LookupLimit}, nothing more is followed");
            }

            return !Stopped;
        }

        /// <summary>The name a term asks about, canonical; null (with a step) when it cannot be known or asked.</summary>
        private string? Target(SpfTerm term, string domain)
        {
            if (term.Kind == SpfTermKind.Include || term.Kind == SpfTermKind.Redirect)
            {
                Named.Add(DomainName.Canonical(term.DomainSpec));
            }

            if (term.HasMacro)
            {
                _result.AddStep(term.Name, CheckStatus.Passed, $"{ServerText.Printable(term.Text, 120)}: not followed (macro)");
                return null;
            }

            string target = DomainName.Canonical(term.DomainSpec ?? domain);
            if (!DomainName.IsHostTarget(target))
            {
                // Valid SPF, but no DNS name: the lookup can only come back empty.
                _result.AddStep(term.Name, CheckStatus.Failed, $"{ServerText.Printable(term.Text, 120)}: not a DNS name, no receiver finds a record there");
                Void(ServerText.Printable(target, 80));
                return null;
            }

            return target;
        }

        private void Ptr(string domain, SpfTerm term)
        {
            if (_ptrSeen)
            {
                return;
            }

            _ptrSeen = true;
            _verdict.Add(CheckStatus.Warning, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_Ptr", domain, ServerText.Printable(term.Text, 120)),
                Texts.Spf.Format("Spf_Ptr_Remediation", domain, ServerText.Printable(term.Text, 120)));
        }

        private async Task IncludeAsync(string domain, SpfTerm term, string target, IReadOnlyList<string> path)
        {
            if (IsLoop(domain, term, target, path))
            {
                return;
            }

            SpfRecord? included = await FetchAsync(domain, term, target).ConfigureAwait(false);
            if (included == null)
            {
                return;
            }

            char all = await WalkAsync(target, included, Append(path, target)).ConfigureAwait(false);
            if (all == '+' && term.Qualifier == '+')
            {
                // The included record passes every address, so this include matches every sender.
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_IncludePassesAll", domain, ServerText.Printable(term.Text, 120), target),
                    Texts.Spf.Format("Spf_IncludePassesAll_Remediation", domain, ServerText.Printable(term.Text, 120), target));
            }
        }

        private bool IsLoop(string domain, SpfTerm term, string target, IReadOnlyList<string> path)
        {
            if (!path.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }

            string chain = Chain(path, term);
            _result.AddStep("Loop", CheckStatus.Failed, chain);
            _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                Texts.Spf.Format("Spf_Loop", path[0], chain, target),
                Texts.Spf.Format("Spf_Loop_Remediation", domain, ServerText.Printable(term.Text, 120)));
            return true;
        }

        /// <summary>Reads the one SPF record of an include or redirect target; null, with a finding, when there is not exactly one valid record.</summary>
        private async Task<SpfRecord?> FetchAsync(string referrer, SpfTerm term, string target)
        {
            DnsLookup lookup = await _query(target, QueryType.TXT, _token).ConfigureAwait(false);
            string shownTerm = ServerText.Printable(term.Text, 120);
            if (lookup.IsUnavailable && lookup.Outcome != DnsOutcome.InvalidRecord)
            {
                _result.AddStep($"TXT {target}", CheckStatus.Error, lookup.ToString(), lookup.Duration);
                Unavailable(target, shownTerm, lookup);
                return null;
            }

            List<string> txt = lookup.Outcome == DnsOutcome.Answered ? DnsCheck.TxtRecords(lookup).ToList() : new List<string>();
            if (txt.Count == 0)
            {
                Void(target);
            }

            List<string> spf = txt.Where(SpfParser.IsSpfRecord).ToList();
            CheckStatus status = spf.Count == 1 ? CheckStatus.Passed : CheckStatus.Failed;
            _result.AddStep($"TXT {target}", status, $"{lookup}; {spf.Count} SPF record(s)", lookup.Duration);
            if (spf.Count == 0)
            {
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_TargetNoRecord", referrer, shownTerm, target),
                    Texts.Spf.Format("Spf_TargetNoRecord_Remediation", referrer, shownTerm, target));
                return null;
            }

            if (spf.Count > 1)
            {
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_TargetMultiple", referrer, shownTerm, target, spf.Count),
                    Texts.Spf.Format("Spf_TargetMultiple_Remediation", referrer, shownTerm, target));
                return null;
            }

            SpfParseResult parsed = SpfParser.Parse(spf[0]);
            if (parsed.Record == null)
            {
                _result.AddStep($"Parse {target}", CheckStatus.Failed, $"invalid term '{parsed.BadTerm}': {parsed.Error}");
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_TargetSyntax", target, parsed.BadTerm, Reason(parsed.Error!.Value), referrer, shownTerm),
                    Texts.Spf.Format("Spf_TargetSyntax_Remediation", target, referrer, shownTerm));
                return null;
            }

            Followed.Add(target);
            _result.AddStep($"SPF {target}", CheckStatus.Passed, ServerText.Printable(spf[0], 600));
            return parsed.Record;
        }

        /// <summary>The a and exists mechanisms: does the name have an address? (AAAA too, for a: the check has no sender to pick one.)</summary>
        private async Task AddressAsync(SpfTerm term, string target)
        {
            DnsLookup lookup = await _query(target, QueryType.A, _token).ConfigureAwait(false);
            bool found = lookup.Answers.OfType<ARecord>().Any();
            if (!found && term.Kind == SpfTermKind.A && lookup.Outcome == DnsOutcome.Answered)
            {
                DnsLookup v6 = await _query(target, QueryType.AAAA, _token).ConfigureAwait(false);
                found = v6.Answers.OfType<AaaaRecord>().Any();
                lookup = found || v6.IsUnavailable ? v6 : lookup;
            }

            Record(term, target, lookup, found);
        }

        private async Task MxAsync(string domain, SpfTerm term, string target)
        {
            DnsLookup lookup = await _query(target, QueryType.MX, _token).ConfigureAwait(false);
            int hosts = lookup.Answers.OfType<MxRecord>().Count();
            Record(term, target, lookup, hosts > 0);
            if (hosts > MxHostLimit)
            {
                _verdict.Add(CheckStatus.Failed, DiagnosticCause.SpfInvalid,
                    Texts.Spf.Format("Spf_MxTooMany", domain, ServerText.Printable(term.Text, 120), hosts),
                    Texts.Spf.Format("Spf_MxTooMany_Remediation", domain, ServerText.Printable(term.Text, 120)));
            }
        }

        private void Record(SpfTerm term, string target, DnsLookup lookup, bool found)
        {
            string shownTerm = ServerText.Printable(term.Text, 120);
            if (lookup.IsUnavailable)
            {
                _result.AddStep(shownTerm, CheckStatus.Error, lookup.ToString(), lookup.Duration);
                Unavailable(target, shownTerm, lookup);
                return;
            }

            _result.AddStep(shownTerm, found ? CheckStatus.Passed : CheckStatus.Warning, found ? lookup.ToString() : $"{lookup}: void lookup", lookup.Duration);
            if (!found)
            {
                Void(target);
            }
        }

        private void Void(string name)
        {
            Voids++;
            if (_voidNames.Count < 5)
            {
                _voidNames.Add(name);
            }
        }

        private void Unavailable(string target, string shownTerm, DnsLookup lookup)
        {
            if (_unavailableSeen)
            {
                return;
            }

            // Receivers meet the same failure: their SPF check ends in TempError and mail may be deferred.
            _unavailableSeen = true;
            _verdict.Add(CheckStatus.Error, DiagnosticCause.DnsUnavailable,
                Texts.Spf.Format("Spf_TargetUnavailable", target, shownTerm, lookup.Server, lookup.Said),
                Texts.Messages["Dns_Unavailable_Remediation"]);
        }

        private static IReadOnlyList<string> Append(IReadOnlyList<string> path, string domain) => path.Concat(new[] { domain }).ToList();

        private static string Chain(IReadOnlyList<string> path, SpfTerm term)
            => string.Join(" > ", path.Concat(new[] { ServerText.Printable(term.Text, 120) }));
    }
}
