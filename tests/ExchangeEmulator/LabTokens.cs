using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace ExchangeEmulator;

public enum TokenProblem { None, Malformed, UnknownKey, BadSignature, BadIssuer, BadAudience, Expired, NotYetValid }

/// <summary>What a resource server concluded about a Bearer token; Token is set only when Problem is None.</summary>
public sealed record TokenCheck(TokenProblem Problem, string Reason, ParsedJwt? Token = null);

/// <summary>
/// The tenant's token-signing key and issuer: the identity provider signs with it, and the
/// emulated resource servers (EWS, Autodiscover, /_lab/introspect) verify with it, as Exchange
/// Online verifies Entra ID's tokens against the published JWKS.
/// </summary>
public sealed class LabTokens
{
    public const string KeyId = "lab-idp-1";

    /// <summary>Clock skew a resource server tolerates on nbf and exp, as Microsoft.IdentityModel's default.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    private readonly RSA privateKey;
    private readonly RSA publicKey;

    public LabTokens(IdentitySpec identity, string authorityHost, X509Certificate2 signingCertificate)
    {
        Identity = identity;
        AuthorityHost = authorityHost;
        SigningCertificate = signingCertificate;
        privateKey = signingCertificate.GetRSAPrivateKey() ?? throw new CryptographicException("the signing certificate has no RSA private key");
        publicKey = signingCertificate.GetRSAPublicKey()!;
        Thumbprint = Jwt.Encode(signingCertificate.GetCertHash(HashAlgorithmName.SHA1));
    }

    public IdentitySpec Identity { get; }

    /// <summary>The identity provider's host name, such as login.lab.test.</summary>
    public string AuthorityHost { get; }

    public X509Certificate2 SigningCertificate { get; }

    /// <summary>x5t: base64url of the signing certificate's SHA-1 hash.</summary>
    public string Thumbprint { get; }

    public string Issuer => $"https://{AuthorityHost}/{Identity.TenantId}/v2.0";

    public JsonObject PublicJwk()
    {
        RSAParameters parameters = publicKey.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["x5t"] = Thumbprint,
            ["n"] = Jwt.Encode(parameters.Modulus),
            ["e"] = Jwt.Encode(parameters.Exponent),
            ["x5c"] = new JsonArray(Convert.ToBase64String(SigningCertificate.RawData)),
            ["issuer"] = Issuer,
        };
    }

    public string Sign(JsonObject payload) =>
        Jwt.Sign(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = KeyId, ["x5t"] = Thumbprint }, payload, privateKey);

    /// <summary>Verifies a token as a resource of this tenant would: key, signature, issuer, audience, lifetime.</summary>
    public TokenCheck Validate(string? token, DateTimeOffset now)
    {
        ParsedJwt? jwt = Jwt.Parse(token);
        if (jwt is null)
        {
            return new TokenCheck(TokenProblem.Malformed, "The token is not a well-formed JSON Web Token.");
        }

        string? kid = jwt.HeaderString("kid");
        string? x5t = jwt.HeaderString("x5t");
        if ((kid ?? x5t) is null || (kid is not null && kid != KeyId) || (x5t is not null && x5t != Thumbprint))
        {
            return new TokenCheck(TokenProblem.UnknownKey, "The token was signed by a key that is not published by a trusted issuer.");
        }

        if (!jwt.VerifySignature(publicKey))
        {
            return new TokenCheck(TokenProblem.BadSignature, "The token signature is invalid.");
        }

        if (jwt.Claim("iss") != Issuer)
        {
            return new TokenCheck(TokenProblem.BadIssuer, $"The issuer claim value is invalid '{jwt.Claim("iss")}'.");
        }

        string[] audiences = jwt.Audiences();
        if (!audiences.Any(a => IdentitySpec.Resources.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            return new TokenCheck(TokenProblem.BadAudience, $"The audience claim value is invalid '{string.Join(",", audiences)}'.");
        }

        long seconds = now.ToUnixTimeSeconds();
        if (jwt.Time("exp") is not long exp)
        {
            return new TokenCheck(TokenProblem.Malformed, "The token has no expiry (exp) claim.");
        }

        // Arithmetic on our clock, never on the token's numbers: a hostile exp must not overflow.
        if (exp <= seconds - (long)Skew.TotalSeconds)
        {
            return new TokenCheck(TokenProblem.Expired, "The token has expired.");
        }

        if (jwt.Time("nbf") is long nbf && nbf > seconds + (long)Skew.TotalSeconds)
        {
            return new TokenCheck(TokenProblem.NotYetValid, "The token is not yet valid.");
        }

        return new TokenCheck(TokenProblem.None, "", jwt);
    }
}
