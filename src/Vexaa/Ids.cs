using System.Security.Cryptography;
using System.Text;

namespace Vexaa;

/// <summary>Random identifiers and secrets: 128-bit ids, never sequential, so an id reveals nothing and cannot be guessed.</summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>A new id: 128 random bits as 26 lowercase base32 characters.</summary>
    public static string New() => Base32(RandomNumberGenerator.GetBytes(16));

    /// <summary>A secret of 256 random bits with a readable prefix, e.g. <c>vx_…</c> for API keys.</summary>
    public static string Secret(string prefix) => prefix + Base32(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of a high-entropy secret, for storage and lookup; the secret itself is never stored.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>True when <paramref name="value"/> has the shape of an id (so junk never reaches a query or a path).</summary>
    public static bool IsValid(string? value) => value is { Length: 26 } && value.All(c => Alphabet.Contains(c));

    private static string Base32(byte[] bytes)
    {
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
