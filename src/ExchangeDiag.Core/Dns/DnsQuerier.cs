using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;

namespace ExchangeDiag.Dns;

/// <summary>
/// Asks one set of DNS servers for one cmdlet invocation. A question is asked once while it is
/// remembered (<see cref="BoundedCache{TValue}"/>), so a million domains that share MX hosts
/// resolve those hosts once, in bounded memory. Disposing it closes its sockets.
/// </summary>
public sealed class DnsQuerier : IDisposable
{
    private const int MaxCnameHops = 8;
    private readonly DnsTransport _transport;
    private readonly Action<string>? _log;
    private readonly CancellationToken _invocationToken;
    private readonly BoundedCache<Lazy<Task<DnsLookup>>> _asked = new BoundedCache<Lazy<Task<DnsLookup>>>(StringComparer.Ordinal);
    private readonly BoundedCache<Lazy<Task<HostResolution>>> _resolvedHosts = new BoundedCache<Lazy<Task<HostResolution>>>(StringComparer.OrdinalIgnoreCase);
    private readonly BoundedCache<Lazy<Task<HostResolution>>> _resolvedBySystem = new BoundedCache<Lazy<Task<HostResolution>>>(StringComparer.OrdinalIgnoreCase);
    private readonly bool _serversGiven;

    /// <param name="servers">Resolved server end points; empty means the system resolvers.</param>
    /// <param name="timeout">The longest a single question may wait; retries stay within it.</param>
    /// <param name="log">Receives one line per question asked (the cmdlet shows it with -Verbose); null formats none.</param>
    /// <param name="invocationToken">Cancels every question (Ctrl+C).</param>
    public DnsQuerier(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, Action<string>? log, CancellationToken invocationToken)
    {
        IPEndPoint[] endPoints = servers.Count > 0 ? servers.ToArray() : SystemResolvers();
        if (endPoints.Length == 0)
        {
            throw new InvalidOperationException("No DNS server is configured on this computer; name one with -DnsServer.");
        }

        // A question may use a bit less than half the check's time, so that the answer to the
        // first question and the questions it leads to (the MX hosts) all fit in the deadline.
        // That budget is shared by every server, two attempts each: a lost datagram is retried and
        // a dead first server still leaves time to ask the next one.
        double budget = timeout.TotalMilliseconds * 0.45;
        TimeSpan attempt = TimeSpan.FromMilliseconds(Math.Max(200, budget / (DnsTransport.AttemptsPerServer * endPoints.Length)));
        _transport = new DnsTransport(endPoints, attempt, log);
        _log = log;
        _invocationToken = invocationToken;
        _serversGiven = servers.Count > 0;
        ServerDescription = _transport.Description;
    }

    /// <summary>The servers asked, for messages: "127.0.0.1:5353" or "8.8.8.8, [2001:db8::1]".</summary>
    public string ServerDescription { get; }

    /// <summary>Asks one question; a DNS failure is an outcome, never an exception. Throws only when cancelled.</summary>
    public Task<DnsLookup> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        string key = type + " " + name;
        Task<DnsLookup> shared = _asked.GetOrAdd(key, static (_, question) => new Lazy<Task<DnsLookup>>(() => question.Querier.AskAsync(question.Name, question.Type)), new Question(this, name, type)).Value;
        return shared.WaitOrCancel(cancellationToken);
    }

    /// <summary>
    /// Asks the servers for the root zone's name servers, which every resolver can answer: no answer
    /// (even REFUSED counts as one) means the server itself is dead or out of reach from this
    /// computer, not the domain it was asked about. Asked once per invocation.
    /// </summary>
    public async Task<DnsLookup> ProbeServerAsync(CancellationToken cancellationToken)
        => await QueryAsync(".", QueryType.NS, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Resolves a host this computer connects to (a web, mail or certificate server). Without
    /// -DnsServer that is the operating system's resolver, as for every other program: the hosts
    /// file, search domains and split DNS (NRPT, VPN) apply. With -DnsServer, those servers.
    /// Asked once per host and invocation.
    /// </summary>
    public Task<HostResolution> ResolveConnectTargetAsync(string host, CancellationToken cancellationToken)
    {
        if (_serversGiven)
        {
            return ResolveThroughGivenServersAsync(host, cancellationToken);
        }

        return _resolvedBySystem.GetOrAdd(host, static (h, querier) => new Lazy<Task<HostResolution>>(() => querier.AskOperatingSystemAsync(h)), this).Value.WaitOrCancel(cancellationToken);
    }

    private async Task<HostResolution> ResolveThroughGivenServersAsync(string host, CancellationToken cancellationToken)
    {
        HostResolution resolution = await ResolveHostAsync(host, cancellationToken).ConfigureAwait(false);
        return resolution.Resolves
            ? new HostResolution(host, resolution.Addresses, resolution.AliasOf, resolution.Outcome, $"{resolution.Detail} (DNS {ServerDescription})")
            : resolution;
    }

    /// <summary>
    /// Resolves a host to its IPv4 and IPv6 addresses through DNS, following CNAMEs. Resolved once
    /// while remembered: a hundred thousand domains share the provider's five MX hosts.
    /// </summary>
    public Task<HostResolution> ResolveHostAsync(string host, CancellationToken cancellationToken)
        => _resolvedHosts.GetOrAdd(host, static (h, querier) => new Lazy<Task<HostResolution>>(() => querier.ResolveThroughDnsAsync(h)), this).Value.WaitOrCancel(cancellationToken);

    private async Task<HostResolution> ResolveThroughDnsAsync(string host)
    {
        Task<AddressChain> v4 = FollowAsync(host, QueryType.A, _invocationToken);
        Task<AddressChain> v6 = FollowAsync(host, QueryType.AAAA, _invocationToken);
        AddressChain a = await v4.ConfigureAwait(false);
        AddressChain aaaa = await v6.ConfigureAwait(false);

        var addresses = a.Addresses.Concat(aaaa.Addresses).ToList();
        string? alias = a.CanonicalName ?? aaaa.CanonicalName;
        string aliasText = alias == null ? string.Empty : $" (alias of {alias})";
        if (addresses.Count > 0)
        {
            return new HostResolution(host, addresses, alias, DnsOutcome.Answered, string.Join(", ", addresses) + aliasText);
        }

        DnsLookup? invalid = a.Last.Outcome == DnsOutcome.InvalidRecord ? a.Last : aaaa.Last.Outcome == DnsOutcome.InvalidRecord ? aaaa.Last : null;
        if (invalid != null)
        {
            var reason = new Phrase(Texts.Messages, "Host_CannotBeUsed", invalid.Said);
            return new HostResolution(host, addresses, alias, DnsOutcome.InvalidRecord, reason.Trace + aliasText, reason);
        }

        DnsLookup failed = a.Last.IsUnavailable ? a.Last : aaaa.Last;
        if (failed.IsUnavailable)
        {
            var reason = new Phrase(Texts.Messages, "Host_Unknown", failed.Server, failed.Said);
            return new HostResolution(host, addresses, alias, failed.Outcome, reason.Trace + aliasText, reason);
        }

        if (a.Last.Outcome == DnsOutcome.NameError)
        {
            return new HostResolution(host, addresses, alias, DnsOutcome.NameError, $"does not exist (NXDOMAIN){aliasText}");
        }

        return new HostResolution(host, addresses, alias, DnsOutcome.Answered, $"has no A or AAAA record{aliasText}");
    }

    private static HostResolution Unknown(string host, DnsOutcome outcome, Phrase reason)
        => new HostResolution(host, Array.Empty<string>(), null, outcome, reason.Trace, reason);

    private async Task<HostResolution> AskOperatingSystemAsync(string host)
    {
        const string resolver = "the operating system resolver";
        var clock = Stopwatch.StartNew();
        _log?.Invoke($"Resolving {host}: asking {resolver}");
        HostResolution resolution;
        try
        {
#if NET
            IPAddress[] found = await System.Net.Dns.GetHostAddressesAsync(host, _invocationToken).ConfigureAwait(false);
#else
            IPAddress[] found = await System.Net.Dns.GetHostAddressesAsync(host).WaitOrCancel(_invocationToken).ConfigureAwait(false);
#endif
            var addresses = found.Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Select(a => a.ToString()).Distinct().ToList();
            resolution = addresses.Count > 0
                ? new HostResolution(host, addresses, null, DnsOutcome.Answered, $"{string.Join(", ", addresses)} ({resolver})")
                : new HostResolution(host, addresses, null, DnsOutcome.Answered, $"has no A or AAAA record ({resolver})");
        }
        catch (SocketException ex) when (!_invocationToken.IsCancellationRequested)
        {
            resolution = ex.SocketErrorCode switch
            {
                // getaddrinfo's EAI_NONAME: the name does not exist, or exists in no source the system reads.
                SocketError.HostNotFound => new HostResolution(host, Array.Empty<string>(), null, DnsOutcome.NameError, $"does not exist ({resolver})"),
                SocketError.NoData => new HostResolution(host, Array.Empty<string>(), null, DnsOutcome.Answered, $"has no A or AAAA record ({resolver})"),
                // EAI_AGAIN and the like: the system's DNS servers did not answer, so nothing is known of the name.
                SocketError.TryAgain => Unknown(host, DnsOutcome.Timeout, new Phrase(Texts.Messages, "Host_SystemNoAnswer", ex.SocketErrorCode)),
                _ => Unknown(host, DnsOutcome.NetworkError, new Phrase(Texts.Messages, "Host_SystemFailed", ex.SocketErrorCode)),
            };
        }
        catch (SocketException)
        {
            throw new OperationCanceledException(_invocationToken);
        }
        catch (ArgumentException ex)
        {
            // A name the system refuses to look up (too long, bad characters): it resolves to nothing.
            resolution = new HostResolution(host, Array.Empty<string>(), null, DnsOutcome.NameError, $"does not exist ({resolver}: {FirstLine(ex)})");
        }

        _log?.Invoke($"Resolved {host} in {clock.ElapsedMilliseconds} ms: {resolution.Detail}");
        return resolution;
    }

    private async Task<AddressChain> FollowAsync(string host, QueryType type, CancellationToken cancellationToken)
    {
        AliasedLookup found = await QueryThroughAliasesAsync(host, type, cancellationToken).ConfigureAwait(false);
        var addresses = found.Last.Answers.OfType<ARecord>().Select(r => r.Address.ToString())
            .Concat(found.Last.Answers.OfType<AaaaRecord>().Select(r => r.Address.ToString()))
            .ToList();
        return new AddressChain(addresses, found.CanonicalName, found.Last);
    }

    /// <summary>
    /// Asks for a name's records of one type, following the CNAMEs an authoritative server answers
    /// alone (as it does for an alias into another zone): a DKIM selector delegated to the provider,
    /// an MX host that is an alias. A chain past 8 hops, or a loop, is an InvalidRecord lookup.
    /// </summary>
    public async Task<AliasedLookup> QueryThroughAliasesAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        string asked = name;
        string? canonical = null;
        for (int hop = 0; ; hop++)
        {
            DnsLookup lookup = await QueryAsync(asked, type, cancellationToken).ConfigureAwait(false);
            CNameRecord? cname = lookup.Answers.OfType<CNameRecord>().FirstOrDefault(r => DomainName.AreEqual(r.DomainName.Value, asked));
            if (cname != null)
            {
                canonical = DomainName.Canonical(cname.CanonicalName.Value);
            }

            bool answered = lookup.Answers.Any(r => r.RecordType == (ResourceRecordType)type);
            if (answered || cname == null)
            {
                return new AliasedLookup(lookup, canonical);
            }

            if (hop == MaxCnameHops)
            {
                // Not "no record": a chain this long (or a loop) is a record no resolver follows to the end.
                var tooLong = new DnsLookup(asked, type, lookup.Server, DnsOutcome.InvalidRecord, new Phrase(Texts.Messages, "DnsCode_CnameChain", MaxCnameHops), Array.Empty<DnsResourceRecord>(), lookup.Duration);
                return new AliasedLookup(tooLong, canonical);
            }

            asked = canonical!;
        }
    }

    private async Task<DnsLookup> AskAsync(string name, QueryType type)
    {
        long started = Clock.Now;
        _log?.Invoke($"DNS {type} {name}: asking {ServerDescription}");
        DnsExchange exchange = await _transport.AskAsync(name, type, _invocationToken).ConfigureAwait(false);
        DnsLookup lookup;
        if (exchange.Answer == null)
        {
            lookup = new DnsLookup(name, type, exchange.Server, exchange.Outcome, exchange.Said, Array.Empty<DnsResourceRecord>(), Clock.Since(started));
        }
        else
        {
            DnsHeaderResponseCode code = exchange.Answer.Code;
            DnsOutcome outcome = code switch
            {
                DnsHeaderResponseCode.NoError => DnsOutcome.Answered,
                DnsHeaderResponseCode.NotExistentDomain => DnsOutcome.NameError,
                DnsHeaderResponseCode.Refused => DnsOutcome.Refused,
                _ => DnsOutcome.ServerError,
            };
            List<DnsResourceRecord> usable = WithoutUnusableTargets(exchange.Answer.Records, out List<string>? unusable, out bool anyTargetLeft);
            lookup = unusable != null && !anyTargetLeft
                ? new DnsLookup(name, type, exchange.Server, DnsOutcome.InvalidRecord, new Phrase(Texts.Messages, "DnsCode_NotHostName", unusable[0]), Array.Empty<DnsResourceRecord>(), Clock.Since(started))
                : new DnsLookup(name, type, exchange.Server, outcome, CodeName(code), usable, Clock.Since(started)) { UnusableTargets = unusable ?? (IReadOnlyList<string>)Array.Empty<string>() };
        }

        _log?.Invoke($"DNS {lookup}");
        return lookup;
    }

    /// <summary>Closes the sockets of this invocation's questions; their reader threads end.</summary>
    public void Dispose() => _transport.Dispose();

    /// <summary>Whether a socket's reader thread still runs (tests: none after Dispose).</summary>
    internal bool AnyReaderRunning => _transport.AnyReaderRunning;

    /// <summary>
    /// The answers without the records whose target is no host name, which are never connected to:
    /// mail servers skip a bad MX and use the rest. Their targets come out shown safely, and
    /// <paramref name="anyTargetLeft"/> says whether a record with a usable target remains.
    /// </summary>
    private static List<DnsResourceRecord> WithoutUnusableTargets(IReadOnlyList<DnsResourceRecord> answers, out List<string>? unusable, out bool anyTargetLeft)
    {
        var usable = new List<DnsResourceRecord>(answers.Count);
        unusable = null;
        anyTargetLeft = false;
        foreach (DnsResourceRecord record in answers)
        {
            string? target = TargetOf(record);
            if (target != null && !DomainName.IsHostTarget(target))
            {
                (unusable ??= new List<string>()).Add(ServerText.Printable(target, 80));
                continue;
            }

            anyTargetLeft |= target != null;
            usable.Add(record);
        }

        return usable;
    }

    /// <summary>The host a record points at, for the records whose target is used to connect.</summary>
    private static string? TargetOf(DnsResourceRecord record) => record switch
    {
        MxRecord mx => mx.Exchange.Value,
        SrvRecord srv => srv.Target.Value,
        CNameRecord cname => cname.CanonicalName.Value,
        _ => null,
    };

    private static string FirstLine(Exception ex)
        => Checks.LineProtocol.FirstLine((ex.InnerException ?? ex).Message).TrimEnd('.');

    private static string CodeName(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.NoError => "NOERROR",
        DnsHeaderResponseCode.NotExistentDomain => "NXDOMAIN",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => code.ToString().ToUpperInvariant(),
    };

    private static IPEndPoint[] SystemResolvers()
        => NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
            .Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port))
            .ToArray();

    /// <summary>A question to ask when it is not remembered, passed to the cache without a closure.</summary>
    private readonly struct Question
    {
        public Question(DnsQuerier querier, string name, QueryType type)
        {
            Querier = querier;
            Name = name;
            Type = type;
        }

        public DnsQuerier Querier { get; }

        public string Name { get; }

        public QueryType Type { get; }
    }

    /// <summary>The last lookup of a CNAME chain, and the name the chain ended at (null when the name asked was no alias).</summary>
    public sealed class AliasedLookup
    {
        public AliasedLookup(DnsLookup last, string? canonicalName)
        {
            Last = last;
            CanonicalName = canonicalName;
        }

        public DnsLookup Last { get; }

        public string? CanonicalName { get; }
    }

    private sealed class AddressChain
    {
        public AddressChain(IReadOnlyList<string> addresses, string? canonicalName, DnsLookup last)
        {
            Addresses = addresses;
            CanonicalName = canonicalName;
            Last = last;
        }

        public IReadOnlyList<string> Addresses { get; }

        public string? CanonicalName { get; }

        public DnsLookup Last { get; }
    }
}
