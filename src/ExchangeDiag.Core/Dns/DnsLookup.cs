using System;
using System.Collections.Generic;
using DnsClient;
using DnsClient.Protocol;

namespace ExchangeDiag.Dns;

/// <summary>How a DNS question ended.</summary>
#if NET
[Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
#endif
public enum DnsOutcome
{
    /// <summary>NOERROR; there may still be no record of the asked type.</summary>
    Answered,

    /// <summary>NXDOMAIN: the name does not exist. A finding, not a failure of DNS.</summary>
    NameError,

    /// <summary>SERVFAIL or another error code: the server could not answer.</summary>
    ServerError,

    /// <summary>REFUSED: the server will not answer for this name (often an authoritative server asked about another zone).</summary>
    Refused,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>The server could not be reached at all.</summary>
    NetworkError,

    /// <summary>
    /// An answer no honest server sends: another transaction id, bytes that do not parse, or the
    /// answer to another question. Nothing in it can be believed, not even "no such record".
    /// </summary>
    Malformed,

    /// <summary>
    /// An answer that parses, to the question asked, with a record no host can be: a target that is
    /// not a host name (a slash, a space, binary bytes), or a CNAME chain past 8 hops. Resolvers pass
    /// such records on as the zone holds them: the domain's data is wrong, not the DNS server.
    /// </summary>
    InvalidRecord,
}

/// <summary>One DNS question and what came back.</summary>
public sealed class DnsLookup
{
    internal DnsLookup(string name, QueryType type, string server, DnsOutcome outcome, string code, IReadOnlyList<DnsResourceRecord> answers, TimeSpan duration)
        : this(name, type, server, outcome, Phrase.Fixed(code), answers, duration)
    {
    }

    /// <param name="said">What went wrong in any language; <see cref="Code"/> is its English, for the trace.</param>
    internal DnsLookup(string name, QueryType type, string server, DnsOutcome outcome, Phrase said, IReadOnlyList<DnsResourceRecord> answers, TimeSpan duration)
    {
        Said = said;
        string code = said.Trace;
        Name = name;
        Type = type;
        Server = server;
        Outcome = outcome;
        Code = code;
        Answers = answers;
        Duration = duration;
    }

    public string Name { get; }

    public QueryType Type { get; }

    /// <summary>The server that answered, or the servers that were asked when none did.</summary>
    public string Server { get; }

    public DnsOutcome Outcome { get; }

    /// <summary>The response code (NoError, NXDomain, ServFail, Refused...) or what went wrong on the wire.</summary>
    public string Code { get; }

    /// <summary>The response code, or what went wrong, for a message in the reader's language (a response code is the same in all).</summary>
    internal Phrase Said { get; }

    public IReadOnlyList<DnsResourceRecord> Answers { get; }

    public TimeSpan Duration { get; }

    /// <summary>
    /// The targets of records left out of <see cref="Answers"/> because they are not host names
    /// (shown safely): mail servers and clients skip such records and use the others.
    /// </summary>
    public IReadOnlyList<string> UnusableTargets { get; internal set; } = Array.Empty<string>();

    /// <summary>True when DNS itself failed, so nothing is known about the name.</summary>
    public bool IsUnavailable => Outcome != DnsOutcome.Answered && Outcome != DnsOutcome.NameError;

    public override string ToString()
        => $"{Type} {Name} asked of {Server}: {Code}, {Answers.Count} answer(s) in {Duration.TotalMilliseconds:0} ms"
            + (UnusableTargets.Count == 0 ? string.Empty : $"; left out, not host names: {string.Join(", ", UnusableTargets)}");
}
