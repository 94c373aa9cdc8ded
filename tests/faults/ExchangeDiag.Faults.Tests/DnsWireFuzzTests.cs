using System;
using DnsClient;
using ExchangeDiag.Dns;
using Xunit;

namespace ExchangeDiag.Faults;

/// <summary>Answers with random bytes changed or cut: reading them ends in records or "malformed", never another exception or a hang.</summary>
public class DnsWireFuzzTests
{
    [Theory]
    [InlineData(QueryType.MX)]
    [InlineData(QueryType.SRV)]
    [InlineData(QueryType.TXT)]
    [InlineData(QueryType.A)]
    public void AnAnswerWithBytesChangedOrCutIsReadOrMalformed(QueryType type)
    {
        byte[] question = DnsWire.Question("post.lab.test", type)!;
        byte[] query = DnsWire.Query(0x1234, question, DnsWire.EdnsPayloadSize);
        byte[] valid = Reply(query, type);
        var random = new Random(20261206);
        var names = new DnsNameCache();
        Assert.NotEmpty(DnsWire.Read(valid, question.Length, names).Records);
        int read = 0;
        int malformed = 0;
        for (int round = 0; round < 20000; round++)
        {
            byte[] message = (byte[])valid.Clone();
            int changes = 1 + random.Next(4);
            for (int i = 0; i < changes; i++)
            {
                // Past the question, where the counts, names and lengths a server could lie about are.
                message[DnsWire.HeaderLength + question.Length - 4 + random.Next(message.Length - DnsWire.HeaderLength - question.Length + 4)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                Array.Resize(ref message, DnsWire.HeaderLength + question.Length + random.Next(message.Length - DnsWire.HeaderLength - question.Length));
            }

            message[6] = (byte)(random.Next(8) == 0 ? random.Next(256) : 0);
            if (DnsWire.Classify(message, message.Length, question) != ReplyKind.Answer)
            {
                continue;
            }

            try
            {
                // Unguarded: an exception other than "malformed" here is a hole in our reader, or a name
                // it let through that DnsClient's cannot read.
                DnsWire.Read(message, question.Length, names);
                read++;
            }
            catch (MalformedAnswerException)
            {
                malformed++;
            }
        }

        // Both ends are reached: the fuzzing is not all thrown away before the reader.
        Assert.True(read > 100 && malformed > 100, $"{read} read, {malformed} malformed");
    }

    private static byte[] Reply(byte[] query, QueryType type)
    {
        string name = FakeDnsServer.QuestionName(query);
        return type switch
        {
            QueryType.MX => FakeDnsServer.MxReply(query, name, "mx0.mail.ovh.net", "mx1.mail.ovh.net", "mx2.mail.ovh.net"),
            QueryType.A => FakeDnsServer.AddressReply(query, System.Net.IPAddress.Parse("192.0.2.25")),
            _ => Generic(query, type),
        };
    }

    /// <summary>A reply with one record of the type: an SRV to ex1.lab.test, or a TXT of two strings.</summary>
    private static byte[] Generic(byte[] query, QueryType type)
    {
        byte[] question = DnsWire.Question(FakeDnsServer.QuestionName(query), type)!;
        byte[] data = type == QueryType.SRV
            ? new byte[] { 0, 0, 0, 0, 1, 187, 3, (byte)'e', (byte)'x', (byte)'1', 3, (byte)'l', (byte)'a', (byte)'b', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0 }
            : new byte[] { 5, (byte)'v', (byte)'=', (byte)'s', (byte)'p', (byte)'f', 3, (byte)'a', (byte)'l', (byte)'l' };
        var reply = new System.Collections.Generic.List<byte> { query[0], query[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0 };
        reply.AddRange(question);
        reply.AddRange(new byte[] { 0xC0, 12, 0, (byte)type, 0, 1, 0, 0, 0x0E, 0x10, 0, (byte)data.Length });
        reply.AddRange(data);
        return reply.ToArray();
    }
}
