using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using DnsClient;
using DnsClient.Protocol;

namespace ExchangeDiag.Dns;

/// <summary>
/// The DNS message format (RFC 1035 §4) for the questions this module asks: a query with one
/// question and an EDNS(0) record, and the answer section of the reply read into DnsClient's record
/// types. Every read is bounded by the datagram; anything that does not add up throws
/// <see cref="MalformedAnswerException"/>, which the caller reports as a malformed answer.
/// </summary>
internal static class DnsWire
{
    public const int HeaderLength = 12;
    public const int MaxNameLength = 255;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// The UDP payload size offered in EDNS(0): 1,232 bytes, the value of DNS Flag Day 2020, fits
    /// any path's MTU without IP fragments; a larger answer comes truncated and is asked over TCP.
    /// </summary>
    public const ushort EdnsPayloadSize = 1232;

    /// <summary>
    /// The size offered again when TCP to the server fails after a truncated answer: what DnsClient
    /// offered (4,096 bytes), which works wherever IP fragments get through.
    /// </summary>
    public const ushort LargeEdnsPayloadSize = 4096;

    /// <summary>
    /// The question section for a name and type (class IN), or null for a name no question can
    /// carry: a label over 63 bytes, a name over 255, an empty label, a name IDNA refuses. Master-file
    /// escapes (\. \\ \DDD), which DnsClient writes into the names it reads, stand for their bytes.
    /// </summary>
    public static byte[]? Question(string name, QueryType type)
    {
        string text = name.EndsWith(".", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
        if (!IsAscii(text))
        {
            try
            {
                text = new IdnMapping().GetAscii(text);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        var question = new List<byte>(text.Length + 6);
        if (text.Length > 0 && !AppendLabels(text, question))
        {
            return null;
        }

        question.Add(0);
        if (question.Count > MaxNameLength)
        {
            return null;
        }

        ushort code = (ushort)type;
        question.Add((byte)(code >> 8));
        question.Add((byte)code);
        question.Add(0);
        question.Add((byte)QueryClass.IN);
        return question.ToArray();
    }

    /// <summary>A query: header (recursion desired), the question and, unless <paramref name="ednsSize"/> is 0, an OPT record offering that UDP size.</summary>
    public static byte[] Query(ushort id, byte[] question, ushort ednsSize)
    {
        byte[] query = new byte[HeaderLength + question.Length + (ednsSize > 0 ? 11 : 0)];
        query[0] = (byte)(id >> 8);
        query[1] = (byte)id;
        query[2] = 0x01; // RD: the servers asked are resolvers, or authoritative for the zone
        query[5] = 1;    // QDCOUNT
        Buffer.BlockCopy(question, 0, query, HeaderLength, question.Length);
        if (ednsSize > 0)
        {
            query[11] = 1; // ARCOUNT
            int opt = HeaderLength + question.Length;
            query[opt + 2] = 41; // TYPE OPT, owner the root (0)
            query[opt + 3] = (byte)(ednsSize >> 8);
            query[opt + 4] = (byte)ednsSize;
        }

        return query;
    }

    public static ushort Id(byte[] message) => (ushort)ReadUInt16(message, 0);

    /// <summary>
    /// What a datagram with our transaction id is, read from its header and question only (the
    /// reader on the socket decides with it whether the datagram is the answer a query waits for).
    /// </summary>
    public static ReplyKind Classify(byte[] message, int length, byte[] question)
    {
        if (length < HeaderLength || (message[2] & 0x80) == 0 || (message[2] & 0x78) != 0)
        {
            // Too short for a header, a query rather than a response, or another opcode.
            return ReplyKind.DoesNotParse;
        }

        int questions = ReadUInt16(message, 4);
        if (questions == 0 && IsErrorWithoutQuestion(message[3] & 0x0F))
        {
            return ReplyKind.Answer;
        }

        if (questions != 1 || length < HeaderLength + question.Length)
        {
            return ReplyKind.DoesNotParse;
        }

        return SameQuestion(message, question) ? ReplyKind.Answer : ReplyKind.OtherQuestion;
    }

    /// <summary>Whether a datagram is a response that repeats <paramref name="question"/> as its one question.</summary>
    public static bool RepeatsQuestion(byte[] message, int length, byte[] question)
        => length >= HeaderLength + question.Length && (message[2] & 0x80) != 0 && ReadUInt16(message, 4) == 1 && SameQuestion(message, question);

    /// <summary>The TC bit: the answer did not fit the datagram, and what it holds is not to be read (RFC 2181 §9).</summary>
    public static bool IsTruncated(byte[] message) => (message[2] & 0x02) != 0;

    public static DnsHeaderResponseCode ResponseCode(byte[] message) => (DnsHeaderResponseCode)(message[3] & 0x0F);

    /// <summary>
    /// FORMERR, SERVFAIL, NOTIMP and REFUSED may come without the question (RFC 1035 leaves it open);
    /// NXDOMAIN and NOERROR say something of the name, so they must repeat it.
    /// </summary>
    private static bool IsErrorWithoutQuestion(int code) => code == 1 || code == 2 || code == 4 || code == 5;

    private static bool SameQuestion(byte[] message, byte[] question)
    {
        for (int i = 0; i < question.Length; i++)
        {
            // Servers echo the case they were asked in; compared case-insensitively all the same.
            if (AsciiLower(message[HeaderLength + i]) != AsciiLower(question[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads a reply that <see cref="Classify"/> took for the answer, and that is not truncated: its code and its answer records.</summary>
    /// <param name="names">Names read before, by their wire form: the provider's MX hosts of a bulk run are read once.</param>
    public static DnsAnswer ReadAnswer(byte[] message, int questionLength, DnsNameCache names)
    {
        try
        {
            return Read(message, questionLength, names);
        }
        catch (Exception ex) when (!(ex is MalformedAnswerException) && !(ex is OutOfMemoryException))
        {
            // Whatever DnsClient's name reader throws for bytes a server made up (an index past the
            // end, a label it cannot decode): the answer is malformed, never a crash of the check.
            throw new MalformedAnswerException();
        }
    }

    /// <summary>What <see cref="ReadAnswer"/> does, without turning other exceptions into "malformed" (the fuzz test sees them).</summary>
    internal static DnsAnswer Read(byte[] message, int questionLength, DnsNameCache names)
    {
        int questions = ReadUInt16(message, 4);
        int answers = ReadUInt16(message, 6);
        int at = HeaderLength + (questions == 0 ? 0 : questionLength);
        var records = new List<DnsResourceRecord>(Math.Min(answers, 16));
        for (int i = 0; i < answers; i++)
        {
            DnsString owner = names.Read(message, ref at);
            if (at + 10 > message.Length)
            {
                throw new MalformedAnswerException();
            }

            var recordType = (ResourceRecordType)ReadUInt16(message, at);
            var recordClass = (QueryClass)ReadUInt16(message, at + 2);
            int ttl = (int)(((uint)ReadUInt16(message, at + 4) << 16) | (uint)ReadUInt16(message, at + 6));
            int dataLength = ReadUInt16(message, at + 8);
            at += 10;
            int end = at + dataLength;
            if (end > message.Length)
            {
                throw new MalformedAnswerException();
            }

            var info = new ResourceRecordInfo(owner, recordType, recordClass, ttl, dataLength);
            int data = at;
            DnsResourceRecord record = recordType switch
            {
                ResourceRecordType.A when dataLength == 4 => new ARecord(info, new IPAddress(Slice(message, at, 4))),
                ResourceRecordType.AAAA when dataLength == 16 => new AaaaRecord(info, new IPAddress(Slice(message, at, 16))),
                ResourceRecordType.A or ResourceRecordType.AAAA => throw new MalformedAnswerException(),
                ResourceRecordType.CNAME => new CNameRecord(info, names.Read(message, ref data)),
                ResourceRecordType.NS => new NsRecord(info, names.Read(message, ref data)),
                ResourceRecordType.MX when dataLength >= 3 => ReadMx(message, info, ref data, names),
                ResourceRecordType.SRV when dataLength >= 7 => ReadSrv(message, info, ref data, names),
                ResourceRecordType.MX or ResourceRecordType.SRV => throw new MalformedAnswerException(),
                ResourceRecordType.TXT => ReadTxt(message, info, at, end),
                // Records of other types (DNAME, RRSIG...) are kept whole: no check reads them.
                _ => new UnknownRecord(info, Slice(message, at, dataLength)),
            };

            if (data > end)
            {
                // A name in the record's data ran past the length the record declared.
                throw new MalformedAnswerException();
            }

            at = end;
            records.Add(record);
        }

        return new DnsAnswer(ResponseCode(message), records);
    }

    private static MxRecord ReadMx(byte[] message, ResourceRecordInfo info, ref int at, DnsNameCache names)
    {
        ushort preference = (ushort)ReadUInt16(message, at);
        at += 2;
        return new MxRecord(info, preference, names.Read(message, ref at));
    }

    private static SrvRecord ReadSrv(byte[] message, ResourceRecordInfo info, ref int at, DnsNameCache names)
    {
        ushort priority = (ushort)ReadUInt16(message, at);
        ushort weight = (ushort)ReadUInt16(message, at + 2);
        ushort port = (ushort)ReadUInt16(message, at + 4);
        at += 6;
        return new SrvRecord(info, priority, weight, port, names.Read(message, ref at));
    }

    private static TxtRecord ReadTxt(byte[] message, ResourceRecordInfo info, int at, int end)
    {
        var escaped = new List<string>(1);
        var texts = new List<string>(1);
        while (at < end)
        {
            int length = message[at++];
            if (at + length > end)
            {
                throw new MalformedAnswerException();
            }

            byte[] bytes = Slice(message, at, length);
            at += length;
            escaped.Add(DnsDatagramReader.ParseString(bytes));
            texts.Add(Encoding.UTF8.GetString(bytes));
        }

        return new TxtRecord(info, escaped.ToArray(), texts.ToArray());
    }

    public static int ReadUInt16(byte[] message, int at) => (message[at] << 8) | message[at + 1];

    private static byte[] Slice(byte[] message, int at, int count)
    {
        byte[] copy = new byte[count];
        Buffer.BlockCopy(message, at, copy, 0, count);
        return copy;
    }

    private static bool AppendLabels(string text, List<byte> question)
    {
        var label = new List<byte>(MaxLabelLength);
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (label.Count == 0 || label.Count > MaxLabelLength)
                {
                    return false;
                }

                question.Add((byte)label.Count);
                question.AddRange(label);
                label.Clear();
                continue;
            }

            if (text[i] != '\\')
            {
                label.Add((byte)text[i]);
            }
            else if (i + 3 < text.Length && char.IsDigit(text[i + 1]) && char.IsDigit(text[i + 2]) && char.IsDigit(text[i + 3]))
            {
                int value = int.Parse(text.Substring(i + 1, 3), CultureInfo.InvariantCulture);
                if (value > 255)
                {
                    return false;
                }

                label.Add((byte)value);
                i += 3;
            }
            else if (i + 1 < text.Length)
            {
                label.Add((byte)text[++i]);
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAscii(string text)
    {
        foreach (char c in text)
        {
            if (c > 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    private static byte AsciiLower(byte b) => b >= (byte)'A' && b <= (byte)'Z' ? (byte)(b | 0x20) : b;
}

/// <summary>What a datagram that carries our transaction id turned out to be.</summary>
internal enum ReplyKind
{
    /// <summary>A response to the question asked (or an error code with no question).</summary>
    Answer,

    /// <summary>A response that repeats another question: not an answer at all.</summary>
    OtherQuestion,

    /// <summary>Too short, not a response, or a question section that does not add up.</summary>
    DoesNotParse,

    /// <summary>A response to a question waiting, under a transaction id that was never used.</summary>
    OtherTransaction,
}

/// <summary>A reply read: its response code and the records of its answer section.</summary>
internal sealed class DnsAnswer
{
    public DnsAnswer(DnsHeaderResponseCode code, IReadOnlyList<DnsResourceRecord> records)
    {
        Code = code;
        Records = records;
    }

    public DnsHeaderResponseCode Code { get; }

    public IReadOnlyList<DnsResourceRecord> Records { get; }
}

/// <summary>A reply whose records do not add up: names or data that run past the datagram or their declared length.</summary>
internal sealed class MalformedAnswerException : Exception
{
}
