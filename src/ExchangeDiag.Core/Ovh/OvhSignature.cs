using System.Security.Cryptography;
using System.Text;

namespace ExchangeDiag.Ovh;

/// <summary>The request signature of the OVHcloud API (PROTOCOL-NOTES 1, "Signing").</summary>
internal static class OvhSignature
{
    /// <summary>
    /// "$1$" + lowercase hex SHA1(secret + "+" + consumerKey + "+" + METHOD + "+" + full URL with
    /// its query + "+" + body ("" when none) + "+" + timestamp).
    /// </summary>
    public static string Compute(string applicationSecret, string consumerKey, string method, string fullUrl, string body, long timestamp)
    {
        string toSign = string.Join("+", applicationSecret, consumerKey, method.ToUpperInvariant(), fullUrl, body, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using SHA1 sha1 = SHA1.Create();
        byte[] hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(toSign));
        var hex = new StringBuilder("$1$", 3 + hash.Length * 2);
        foreach (byte b in hash)
        {
            hex.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }
}
