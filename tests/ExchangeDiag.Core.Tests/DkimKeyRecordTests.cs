using System;
using System.Globalization;
using ExchangeDiag.DomainAuth;
using Xunit;

namespace ExchangeDiag.Tests;

public class DkimKeyRecordTests
{
    // RFC 6376 Appendix C: the "brisbane" selector's 1024-bit key, as the zone file splits it.
    private const string Rfc6376Brisbane = "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQ"
        + "KBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYt"
        + "IxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v"
        + "/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhi"
        + "tdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

    // RFC 8463 §A.2: the ed25519 key of brisbane._domainkey.football.example.com.
    private const string Rfc8463Ed25519 = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    private const string Rsa2048 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvBAZQI/QRM4eoV6jDMexYCtpTYva8bIjW8pW1fjz0b6wxxJ1GTcGaaYJhWIGAaBO3soWP9N/e4y6m9MVMMptGPByt7IgOSiHJX9ZYMQVKrR1FgXJr9FCskOXSADD4lZdedcgHfZCim0WPeHkmdK1m0NZaixDI7WXWdekdxhh50uOFYS6KosUMeSGdyzyF8opEtQ/q99zC80rdUiGh8lIxSsk+0rkI+a0o78x+c+3hsXwcKQ72I8pnUg+SdSLvhvvFUSGZRtlFbfQzvi1C+j2Nym+qKw9GHGcRAW77qAVXS1rs1aHzs7dXyX0MQ1Kl54aA4bqKJIuaapN7akoD6DmrwIDAQAB";
    private const string Rsa1024Bare = "MIGJAoGBAJMePez0hz2/6hQi5QYjiCJ7v9thklM6ciqsbBklJBGs9MqT6KI+8lC+4u8iuTChkLBBmefu0zud0mJMubmorkXfwE2IobOfp/sDAGmDLpRNFPTPVqKByLfbH41ueKw2wTY7ceoiyldyT0Ht2/L/oKS26I6jnDTjM7wbKIBvXWJ3AgMBAAE=";
    private const string Rsa512 = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAOGqkmnuozsRTF/jbdauVtL/eEUnjOirSsPJuatZjAE7y02yZbTEVPvKudfhCgofeZovb50DkFtKjLGKAW16UOECAwEAAQ==";

    [Fact]
    public void Rfc6376_appendix_C_key_is_a_valid_1024_bit_rsa_key()
    {
        DkimKeyRecord record = DkimKeyRecord.Parse(Rfc6376Brisbane);
        Assert.True(record.IsValid, record.Error);
        Assert.Equal("rsa", record.KeyType);
        Assert.Equal(1024, record.KeyBits);
        Assert.False(record.Revoked);
        Assert.False(record.Testing);
    }

    [Fact]
    public void Rfc8463_example_is_a_valid_ed25519_key()
    {
        DkimKeyRecord record = DkimKeyRecord.Parse(Rfc8463Ed25519);
        Assert.True(record.IsValid, record.Error);
        Assert.Equal("ed25519", record.KeyType);
        Assert.Equal(256, record.KeyBits);
    }

    [Theory]
    [InlineData("p=" + Rsa2048, 2048)]
    [InlineData("v=DKIM1; k=rsa; p=" + Rsa512, 512)]
    [InlineData("k=rsa; p=" + Rsa1024Bare, 1024)]
    [InlineData("v=DKIM1;k=rsa;h=sha256;s=email;t=s;n=note;p=" + Rsa2048 + ";", 2048)]
    public void Rsa_key_length_is_measured_from_the_der(string text, int bits)
    {
        DkimKeyRecord record = DkimKeyRecord.Parse(text);
        Assert.True(record.IsValid, record.Error);
        Assert.Equal(bits, record.KeyBits);
    }

    [Fact]
    public void White_space_inside_p_and_around_tags_is_folding_white_space()
    {
        string folded = " v = DKIM1 ;\tk=rsa ; p= " + Rsa2048.Substring(0, 100) + " \r\n " + Rsa2048.Substring(100) + " ; ";
        DkimKeyRecord record = DkimKeyRecord.Parse(folded);
        Assert.True(record.IsValid, record.Error);
        Assert.Equal(2048, record.KeyBits);
    }

    [Theory]
    [InlineData("v=DKIM1; p=")]
    [InlineData("v=DKIM1; k=rsa; p= ; t=y")]
    public void Empty_p_is_a_revoked_key(string text)
    {
        DkimKeyRecord record = DkimKeyRecord.Parse(text);
        Assert.True(record.IsValid, record.Error);
        Assert.True(record.Revoked);
        Assert.Equal(0, record.KeyBits);
    }

    [Fact]
    public void T_flags_say_testing_and_strict()
    {
        DkimKeyRecord record = DkimKeyRecord.Parse("v=DKIM1; t=y:s; p=" + Rsa2048);
        Assert.True(record.Testing);
        Assert.True(record.Strict);
    }

    [Theory]
    [InlineData("k=rsa; v=DKIM1; p=" + Rsa2048, "not the first tag")]
    [InlineData("v=DKIM2; p=" + Rsa2048, "not v=DKIM1")]
    [InlineData("v=dkim1; p=" + Rsa2048, "not v=DKIM1")]
    [InlineData("v=DKIM1; k=dsa; p=" + Rsa2048, "k=dsa")]
    [InlineData("v=DKIM1; k=rsa", "p= tag")]
    [InlineData("v=DKIM1; p=not*base64!", "not base64")]
    [InlineData("v=DKIM1; p=QUJD=", "not base64")]
    [InlineData("v=DKIM1; p=AAAA", "not a DER SEQUENCE")]
    [InlineData("v=DKIM1; k=ed25519; p=" + Rsa2048, "an ed25519 key is 32")]
    [InlineData("v=DKIM1; k=ed25519; p=AAAA", "an ed25519 key is 32")]
    [InlineData("v=DKIM1; s=other; p=" + Rsa2048, "s=other")]
    [InlineData("v=DKIM1; h=md5; p=" + Rsa2048, "h=md5")]
    [InlineData("v=DKIM1; p=" + Rsa2048 + "; p=", "appears twice")]
    [InlineData("this is not a DKIM record", "not tag=value")]
    [InlineData("v=DKIM1; 1x=2; p=", "not a tag name")]
    [InlineData("v=DKIM1; n=caf\u00e9; p=", "not printable ASCII")]
    public void Bad_records_say_why(string text, string reason)
    {
        DkimKeyRecord record = DkimKeyRecord.Parse(text);
        Assert.False(record.IsValid);
        Assert.Contains(reason, record.Error);
    }

    // Issue 12: what is wrong with the DER of a key ends up as {1} of Dkim_Invalid, so a French
    // check says it in French, like the record's other findings.
    [Theory]
    [InlineData("v=DKIM1; p=AAAA", "la clé n'est pas une SEQUENCE DER", "the key is not a DER SEQUENCE")]
    [InlineData("v=DKIM1; p=MAMGAQA=", "la clé n'est ni un SubjectPublicKeyInfo ni un RSAPublicKey", "the key is neither a SubjectPublicKeyInfo nor an RSAPublicKey")]
    [InlineData("v=DKIM1; p=MAgCAQACAQACAA==", "le RSAPublicKey n'est pas fait de deux INTEGER", "the RSAPublicKey is not two INTEGERs")]
    [InlineData("v=DKIM1; p=MAYCAQACAQM=", "le module est nul", "the modulus is zero")]
    public void A_key_that_is_no_RSA_key_says_why_in_the_UI_culture(string text, string french, string english)
    {
        CultureInfo before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
            DkimKeyRecord record = DkimKeyRecord.Parse(text);
            Assert.False(record.IsValid);
            Assert.Contains(french, record.Error);
            Assert.DoesNotContain(english, record.Error);
            string message = Texts.Dkim.Format("Dkim_Invalid", "s1._domainkey.contoso.com", record.Error);
            Assert.DoesNotContain(english, message);

            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            Assert.Contains(english, DkimKeyRecord.Parse(text).Error);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void A_truncated_or_lying_der_never_throws()
    {
        byte[] der = Convert.FromBase64String(Rsa2048);
        for (int length = 0; length < der.Length; length += 7)
        {
            byte[] cut = new byte[length];
            Array.Copy(der, cut, length);
            Assert.Equal(0, RsaKeyReader.ModulusBits(cut, out string? error));
            Assert.NotNull(error);
        }

        var random = new Random(14);
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = (byte[])der.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            RsaKeyReader.ModulusBits(mutated, out _);
        }

        // A length that claims more bytes than there are.
        Assert.Equal(0, RsaKeyReader.ModulusBits(new byte[] { 0x30, 0x83, 0xFF, 0xFF, 0xFF, 0x02 }, out _));
    }

    [Fact]
    public void A_record_longer_than_any_key_is_refused_without_parsing()
    {
        DkimKeyRecord record = DkimKeyRecord.Parse("v=DKIM1; n=" + new string('x', 70000) + "; p=");
        Assert.False(record.IsValid);
        Assert.Contains("characters long", record.Error);
    }
}
