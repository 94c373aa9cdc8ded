using System;
using System.Buffers.Text;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExchangeEmulator;

/// <summary>A compact JWS (RFC 7515) taken apart; the signature is not checked yet.</summary>
public sealed record ParsedJwt(JsonElement Header, JsonElement Payload, byte[] SigningInput, byte[] Signature)
{
    public string? HeaderString(string name) =>
        Header.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public string? Claim(string name) =>
        Payload.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// A NumericDate claim (seconds since the epoch); null when absent or not a number. MSAL.NET
    /// writes nbf and exp of its client assertions as strings of digits, which Entra ID accepts: so does the lab.
    /// </summary>
    public long? Time(string name)
    {
        if (!Payload.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out long seconds) => seconds,
            JsonValueKind.String when long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds) => seconds,
            _ => null,
        };
    }

    /// <summary>aud may be a string or an array of strings (RFC 7519 §4.1.3).</summary>
    public string[] Audiences()
    {
        if (!Payload.TryGetProperty("aud", out JsonElement aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            _ => [],
        };
    }

    /// <summary>Checks an RS256 or PS256 signature; any other alg fails (no "none", no HMAC with a public key).</summary>
    public bool VerifySignature(RSA key)
    {
        RSASignaturePadding? padding = HeaderString("alg") switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        return padding is not null && Signature.Length == key.KeySize / 8 && key.VerifyData(SigningInput, Signature, HashAlgorithmName.SHA256, padding);
    }
}

/// <summary>Just enough JWT for the lab: RS256 signing and a defensive parser for tokens from the wire.</summary>
public static class Jwt
{
    /// <summary>Larger tokens are refused before any decoding (Entra's own are a few KB).</summary>
    public const int MaxLength = 16 * 1024;

    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static string Sign(JsonObject header, JsonObject payload, RSA key)
    {
        string signingInput = Encode(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Encode(signature);
    }

    /// <summary>Null for anything that is not three base64url parts with JSON objects for header and payload.</summary>
    public static ParsedJwt? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return null;
        }

        string[] parts = token.Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return null;
        }

        try
        {
            byte[] header = Base64Url.DecodeFromChars(parts[0]);
            byte[] payload = Base64Url.DecodeFromChars(parts[1]);
            byte[] signature = Base64Url.DecodeFromChars(parts[2]);
            var options = new JsonDocumentOptions { MaxDepth = 16 };
            JsonElement headerJson = JsonDocument.Parse(header, options).RootElement.Clone();
            JsonElement payloadJson = JsonDocument.Parse(payload, options).RootElement.Clone();
            if (headerJson.ValueKind != JsonValueKind.Object || payloadJson.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ParsedJwt(headerJson, payloadJson, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }
}
