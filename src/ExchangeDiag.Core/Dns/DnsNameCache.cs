using System;
using System.Collections.Generic;
using DnsClient;

namespace ExchangeDiag.Dns;

/// <summary>
/// The names read from one invocation's answers, by their wire form. Reading a name into DnsClient's
/// <see cref="DnsString"/> costs about 800 bytes (labels, escapes, the IDN form); the provider's five
/// MX hosts of a bulk run, and the owner name that every record of an answer repeats, are read once.
/// Bounded: past 4,096 names it starts again.
/// </summary>
internal sealed class DnsNameCache
{
    private const int MaxNames = 4096;

    // RFC 1035 allows any number of pointers, but a real name needs a few; past this it is a loop.
    private const int MaxPointers = 64;

    [ThreadStatic]
    private static char[]? t_wireForm;

    private readonly object _gate = new object();
    private readonly Dictionary<string, DnsString> _names = new Dictionary<string, DnsString>(StringComparer.Ordinal);

    /// <summary>
    /// Reads the name at <paramref name="at"/>, following compression pointers, and moves
    /// <paramref name="at"/> past it as it stands in the message. A name that runs past the message,
    /// past 255 bytes or around a pointer loop throws <see cref="MalformedAnswerException"/>.
    /// </summary>
    public DnsString Read(byte[] message, ref int at)
    {
        char[] wireForm = t_wireForm ??= new char[DnsWire.MaxNameLength + 1];
        int length = 0;
        int position = at;
        int end = -1;
        int pointers = 0;
        while (true)
        {
            if (position >= message.Length)
            {
                throw new MalformedAnswerException();
            }

            int label = message[position];
            if ((label & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++pointers > MaxPointers)
                {
                    throw new MalformedAnswerException();
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = ((label & 0x3F) << 8) | message[position + 1];
                continue;
            }

            if (label > 63 || position + 1 + label > message.Length || length + label + 1 > DnsWire.MaxNameLength)
            {
                // The 0x40 and 0x80 label types are obsolete (RFC 6891 §5); a name is at most 255 bytes.
                throw new MalformedAnswerException();
            }

            if (label == 0)
            {
                if (end < 0)
                {
                    end = position + 1;
                }

                break;
            }

            for (int i = position; i <= position + label; i++)
            {
                wireForm[length++] = (char)message[i];
            }

            position += label + 1;
        }

        string key = new string(wireForm, 0, length);
        DnsString? name;
        lock (_gate)
        {
            _names.TryGetValue(key, out name);
        }

        if (name == null)
        {
            // DnsClient's own reader, so a name reads as it always has (escapes, the IDN form).
            name = new DnsDatagramReader(new ArraySegment<byte>(message), at).ReadDnsName();
            lock (_gate)
            {
                if (_names.Count >= MaxNames)
                {
                    _names.Clear();
                }

                _names[key] = name;
            }
        }

        at = end;
        return name;
    }
}
