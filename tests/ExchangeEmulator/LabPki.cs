using System;
using System.IO;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ExchangeEmulator;

/// <summary>
/// Writes the lab PKI: ca.crt (PEM), lab.crl (DER, signed by the CA), and per certificate
/// &lt;name&gt;.pfx (no password, with key) plus &lt;name&gt;.crt (PEM, for openssl and curl).
/// </summary>
public static class LabPki
{
    public const string CaFile = "ca.crt";
    public const string CrlFile = "lab.crl";

    /// <summary>The identity provider's token-signing key: a certificate with its key, and its public key alone.</summary>
    public const string SigningPfxFile = "idp-signing.pfx";
    public const string SigningPublicKeyFile = "idp-signing.pub.pem";

    public static void Create(LabConfig config, string outDir)
    {
        Directory.CreateDirectory(outDir);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // .NET caches downloaded CRLs per issuer name: a fresh name per run keeps a stale CRL
        // from an earlier lab away from this one.
        string suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest(
            $"CN=ExchangeDiag Lab CA {now:yyyyMMdd}-{suffix}, O=ExchangeDiag Lab", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));

        // The CA starts well before the oldest leaf: CertificateRequest.Create refuses a leaf
        // whose validity reaches outside its issuer's.
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-90), now.AddYears(5));

        var crl = new CertificateRevocationListBuilder();
        foreach (CertificateSpec spec in config.Certificates)
        {
            using X509Certificate2 leaf = CreateLeaf(spec, ca, config.CrlUrl, now);
            if (spec.Kind == CertificateKind.Revoked)
            {
                crl.AddEntry(leaf, now.AddHours(-1), X509RevocationReason.KeyCompromise);
            }

            File.WriteAllBytes(Path.Combine(outDir, spec.Name + ".pfx"), leaf.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, null));
            File.WriteAllText(Path.Combine(outDir, spec.Name + ".crt"), leaf.ExportCertificatePem() + "\n");
        }

        // thisUpdate a little in the past so a verifier whose clock lags does not reject it.
        byte[] crlDer = crl.Build(ca, BigInteger.One, now.AddDays(30), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddMinutes(-5));
        File.WriteAllBytes(Path.Combine(outDir, CrlFile), crlDer);
        File.WriteAllText(Path.Combine(outDir, CaFile), ca.ExportCertificatePem() + "\n");
        if (config.Identity is not null)
        {
            CreateSigningKey(outDir, now);
        }
    }

    /// <summary>
    /// Entra ID signs tokens with self-signed certificates that it publishes in its JWKS (x5c);
    /// the lab does the same. The PEM public key is for verifiers that read no certificates (Dovecot).
    /// </summary>
    private static void CreateSigningKey(string outDir, DateTimeOffset now)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExchangeDiag Lab IdP token signing, O=ExchangeDiag Lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        File.WriteAllBytes(Path.Combine(outDir, SigningPfxFile), certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, null));
        File.WriteAllText(Path.Combine(outDir, SigningPublicKeyFile), key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    private static X509Certificate2 CreateLeaf(CertificateSpec spec, X509Certificate2 ca, string crlUrl, DateTimeOffset now)
    {
        (DateTimeOffset notBefore, DateTimeOffset notAfter) = spec.Kind switch
        {
            CertificateKind.Expired => (now.AddDays(-60), now.AddDays(-1)),
            CertificateKind.NotYetValid => (now.AddDays(10), now.AddDays(100)),
            CertificateKind.ExpiringSoon => (now.AddDays(-1), now.AddDays(10)),
            _ => (now.AddDays(-1), now.AddDays(365)),
        };

        using RSA key = RSA.Create(2048);
        string commonName = spec.DnsNames.Count > 0 ? spec.DnsNames[0] : spec.Name;
        var request = new CertificateRequest($"CN={commonName}, O=ExchangeDiag Lab", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in spec.DnsNames)
        {
            // An IP literal (the OVHcloud API emulator is reached by address) is an IP SAN, as clients check it.
            if (System.Net.IPAddress.TryParse(name, out System.Net.IPAddress? address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        if (spec.DnsNames.Count > 0)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        // A client certificate (an app's credential) only signs; a server one also does key exchange.
        bool client = spec.Kind == CertificateKind.Client;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            client ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(client
            ? new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication")], false)
            : new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        if (spec.Kind == CertificateKind.SelfSigned)
        {
            // Signed by its own key and without a CRL: nothing in the lab vouches for it.
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        // Real public certificates carry a CDP; without one a revocation-checking client fails
        // every handshake with "unable to get certificate CRL".
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 publicOnly = request.Create(ca, notBefore, notAfter, serial);
        return publicOnly.CopyWithPrivateKey(key);
    }
}
