namespace ExchangeDiag.DomainAuth;

/// <summary>
/// Measures an RSA public key from its DER bytes without trusting them: a SubjectPublicKeyInfo
/// (what RFC 6376 §3.6.1 asks for) or a bare RSAPublicKey (what some signers publish). Every
/// length is checked against the bytes left; nothing here throws or allocates on the input.
/// </summary>
internal static class RsaKeyReader
{
    private const byte Sequence = 0x30;
    private const byte Integer = 0x02;
    private const byte BitString = 0x03;
    private const byte ObjectId = 0x06;

    // 1.2.840.113549.1.1.1, rsaEncryption.
    private static readonly byte[] RsaEncryption = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01 };

    /// <summary>
    /// The modulus length in bits, or 0 with the reason when the bytes are no RSA public key: the
    /// reason is in the UI culture, like the other findings of <see cref="DkimKeyRecord"/> it joins.
    /// </summary>
    public static int ModulusBits(byte[] der, out string? error)
    {
        // SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID, params }, BIT STRING { RSAPublicKey } }
        var outer = new Reader(der, 0, der.Length);
        if (!outer.Enter(Sequence, out Reader info) || !outer.AtEnd)
        {
            error = Texts.Dkim["Key_NotDer"];
            return 0;
        }

        if (info.Peek == Integer)
        {
            // A bare RSAPublicKey ::= SEQUENCE { INTEGER modulus, INTEGER exponent }.
            return Modulus(info, out error);
        }

        if (!info.Enter(Sequence, out Reader algorithm) || !algorithm.Read(ObjectId, out int oidStart, out int oidLength))
        {
            error = Texts.Dkim["Key_NotPublicKey"];
            return 0;
        }

        if (!algorithm.Matches(oidStart, oidLength, RsaEncryption))
        {
            error = Texts.Dkim["Key_NotRsa"];
            return 0;
        }

        if (!info.Read(BitString, out int bitsStart, out int bitsLength) || bitsLength < 2 || der[bitsStart] != 0)
        {
            error = Texts.Dkim["Key_BadBitString"];
            return 0;
        }

        var inner = new Reader(der, bitsStart + 1, bitsLength - 1);
        if (!inner.Enter(Sequence, out Reader rsa) || !inner.AtEnd)
        {
            error = Texts.Dkim["Key_RsaNotDer"];
            return 0;
        }

        return Modulus(rsa, out error);
    }

    private static int Modulus(Reader rsa, out string? error)
    {
        if (!rsa.Read(Integer, out int start, out int length) || !rsa.Read(Integer, out _, out int exponentLength) || exponentLength == 0 || !rsa.AtEnd)
        {
            error = Texts.Dkim["Key_NotTwoIntegers"];
            return 0;
        }

        byte[] bytes = rsa.Bytes;
        while (length > 0 && bytes[start] == 0)
        {
            start++;
            length--;
        }

        if (length == 0)
        {
            error = Texts.Dkim["Key_ZeroModulus"];
            return 0;
        }

        int bits = (length - 1) * 8;
        for (int top = bytes[start]; top != 0; top >>= 1)
        {
            bits++;
        }

        error = null;
        return bits;
    }

    /// <summary>A window over DER bytes that reads one TLV at a time.</summary>
    private struct Reader
    {
        private readonly int _end;
        private int _position;

        public Reader(byte[] bytes, int start, int length)
        {
            Bytes = bytes;
            _position = start;
            _end = start + length;
        }

        public byte[] Bytes { get; }

        public bool AtEnd => _position == _end;

        public int Peek => _position < _end ? Bytes[_position] : -1;

        public bool Enter(byte tag, out Reader content)
        {
            bool ok = Read(tag, out int start, out int length);
            content = new Reader(Bytes, start, ok ? length : 0);
            return ok;
        }

        public bool Read(byte tag, out int start, out int length)
        {
            start = 0;
            length = 0;
            if (_position + 2 > _end || Bytes[_position] != tag)
            {
                return false;
            }

            int at = _position + 1;
            int first = Bytes[at++];
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                // Long form: 1 to 3 length bytes are plenty for a DNS record (which is under 64 KB).
                int count = first & 0x7F;
                if (count == 0 || count > 3 || at + count > _end)
                {
                    return false;
                }

                for (int i = 0; i < count; i++)
                {
                    length = (length << 8) | Bytes[at++];
                }
            }

            if (length > _end - at)
            {
                return false;
            }

            start = at;
            _position = at + length;
            return true;
        }

        public bool Matches(int start, int length, byte[] expected)
        {
            if (length != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (Bytes[start + i] != expected[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
