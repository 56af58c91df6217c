using System.Security.Cryptography;

namespace Vexaa.Packaging;

/// <summary>Paths and checksums as RFC 8493 writes them in manifests.</summary>
internal static class BagPaths
{
    public static readonly string[] Algorithms = ["sha256", "sha512"];

    /// <summary>A path relative to the bag, with '/' and with CR, LF and '%' percent-encoded (RFC 8493 §2.1.3).</summary>
    public static string Encode(string relative) =>
        relative.Replace('\\', '/').Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    public static string Decode(string encoded) =>
        encoded.Replace("%0A", "\n", StringComparison.OrdinalIgnoreCase).Replace("%0D", "\r", StringComparison.OrdinalIgnoreCase).Replace("%25", "%", StringComparison.Ordinal);

    /// <summary>Every file under <paramref name="folder"/>, relative to <paramref name="bag"/>, in ordinal order.</summary>
    public static List<string> FilesUnder(string bag, string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bag, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    /// <summary>The file's hex digests, one pass per algorithm's hash fed from one read.</summary>
    public static async Task<Dictionary<string, string>> DigestsAsync(string path, IEnumerable<string> algorithms, CancellationToken cancellationToken)
    {
        var hashes = algorithms.ToDictionary(a => a, a => IncrementalHash.CreateHash(a == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256));
        try
        {
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                foreach (var hash in hashes.Values)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }

            return hashes.ToDictionary(h => h.Key, h => Convert.ToHexStringLower(h.Value.GetHashAndReset()));
        }
        finally
        {
            foreach (var hash in hashes.Values)
            {
                hash.Dispose();
            }
        }
    }

    public static bool Supported(string algorithm) => algorithm is "sha256" or "sha512";
}
