using System;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace ExchangeDiag.Tests;

public class CertificateInfoTests
{
    [Fact]
    public void An_expired_intermediate_makes_a_valid_looking_certificate_untrusted()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using RSA rootKey = RSA.Create(2048);
        using X509Certificate2 root = Authority("CN=Test Root", rootKey, null, now.AddYears(-2), now.AddYears(5));
        using RSA intermediateKey = RSA.Create(2048);
        using X509Certificate2 intermediate = Authority("CN=Test Intermediate", intermediateKey, root, now.AddYears(-1), now.AddDays(-2));
        using RSA leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=ex4.mail.ovh.net", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        // Signed directly: CertificateRequest.Create(issuer) refuses a leaf that outlives its issuer.
        using X509Certificate2 leaf = leafRequest.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForRSA(intermediateKey, RSASignaturePadding.Pkcs1), now.AddDays(-30), now.AddDays(300), new byte[] { 1, 2, 3, 4 });

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(intermediate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.False(chain.Build(leaf));

        var info = new CertificateInfo(leaf, chain, SslPolicyErrors.RemoteCertificateChainErrors, DateTime.UtcNow);

        Assert.False(info.ChainValid);
        Assert.False(info.IsTrusted);
        Assert.False(info.IsExpired);
        Assert.Contains("whose own certificate is expired", info.Problem());
    }

    private static X509Certificate2 Authority(string subject, RSA key, X509Certificate2? issuer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        if (issuer == null)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        using X509Certificate2 signed = request.Create(issuer, notBefore, notAfter, new byte[] { 9, 8, 7, 6 });
        return signed.CopyWithPrivateKey(key);
    }
}
