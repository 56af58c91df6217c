using System.Globalization;
using System.IO.Compression;

namespace Vexaa.Packaging;

/// <summary>The outcome of checking a bag: valid, or the error and every problem found (the first names the first bad file).</summary>
public sealed record BagVerification(BagError? Error, IReadOnlyList<string> Problems)
{
    public bool Valid => Error is null;
}

/// <summary>
/// Checks a bag's fixity as RFC 8493 §3 defines validity: <c>bagit.txt</c> present, every file a manifest lists present
/// with the listed checksum, every payload file listed in every payload manifest, and <c>Payload-Oxum</c> (when given)
/// matching. A zip is unpacked to a scratch folder first (.NET refuses entries that would land outside it).
/// </summary>
public static class BagVerifier
{
    public static async Task<BagVerification> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && string.Equals(Path.GetExtension(path), ".zip", StringComparison.OrdinalIgnoreCase))
        {
            var scratch = Directory.CreateTempSubdirectory("vexaa-verify-").FullName;
            try
            {
                try
                {
                    await ZipFile.ExtractToDirectoryAsync(path, scratch, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidDataException e)
                {
                    return new(BagError.NotABag, [$"'{path}' is not a readable zip ({e.Message})."]);
                }

                // A zipped bag may hold the bag itself or one folder that is the bag.
                var root = File.Exists(Path.Combine(scratch, "bagit.txt")) || Directory.GetDirectories(scratch) is not [var only] ? scratch : only;
                return await VerifyFolderAsync(root, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return await VerifyFolderAsync(path, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BagVerification> VerifyFolderAsync(string bag, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(bag) || !File.Exists(Path.Combine(bag, "bagit.txt")))
        {
            return new(BagError.NotABag, [$"'{bag}' is not a bag: it has no bagit.txt."]);
        }

        if (!(await File.ReadAllLinesAsync(Path.Combine(bag, "bagit.txt"), cancellationToken).ConfigureAwait(false)).Any(l => l.StartsWith("BagIt-Version:", StringComparison.Ordinal)))
        {
            return new(BagError.NotABag, [$"'{bag}' is not a bag: its bagit.txt has no BagIt-Version."]);
        }

        var problems = new List<string>();
        var payloadManifests = Directory.GetFiles(bag, "manifest-*.txt").Order(StringComparer.Ordinal).ToList();
        if (payloadManifests.Count == 0)
        {
            problems.Add("manifest-*.txt: the bag has no payload manifest.");
        }

        var payload = Directory.Exists(Path.Combine(bag, "data")) ? BagPaths.FilesUnder(bag, Path.Combine(bag, "data")) : [];
        foreach (var manifest in payloadManifests)
        {
            var listed = await CheckManifestAsync(bag, manifest, problems, cancellationToken).ConfigureAwait(false);
            problems.AddRange(payload.Where(f => !listed.Contains(f)).Select(f => $"{f}: not listed in {Path.GetFileName(manifest)}."));
        }

        foreach (var manifest in Directory.GetFiles(bag, "tagmanifest-*.txt").Order(StringComparer.Ordinal))
        {
            await CheckManifestAsync(bag, manifest, problems, cancellationToken).ConfigureAwait(false);
        }

        if (OxumProblem(bag, payload) is { } oxum)
        {
            problems.Add(oxum);
        }

        return problems.Count == 0 ? new(null, []) : new(BagError.BagInvalid, [.. problems.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Checks each line of one manifest; returns the paths it lists.</summary>
    private static async Task<HashSet<string>> CheckManifestAsync(string bag, string manifest, List<string> problems, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(manifest);
        var algorithm = name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..^4];
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (!BagPaths.Supported(algorithm))
        {
            problems.Add($"{name}: the algorithm '{algorithm}' is not one VExAA checks (sha256, sha512).");
            return listed;
        }

        var full = Path.GetFullPath(bag) + Path.DirectorySeparatorChar;
        foreach (var line in await File.ReadAllLinesAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            if (space <= 0)
            {
                problems.Add($"{name}: the line '{line}' is not 'CHECKSUM  PATH'.");
                continue;
            }

            var relative = BagPaths.Decode(line[space..].TrimStart(' ', '\t'));
            listed.Add(relative);
            var path = Path.GetFullPath(Path.Combine(bag, relative));
            if (!path.StartsWith(full, StringComparison.Ordinal))
            {
                problems.Add($"{relative}: listed in {name} but outside the bag.");
            }
            else if (!File.Exists(path))
            {
                problems.Add($"{relative}: missing (listed in {name}).");
            }
            else if (!string.Equals((await BagPaths.DigestsAsync(path, [algorithm], cancellationToken).ConfigureAwait(false))[algorithm], line[..space], StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{relative}: changed (its {algorithm} is not the one in {name}).");
            }
        }

        return listed;
    }

    private static string? OxumProblem(string bag, List<string> payload)
    {
        var info = Path.Combine(bag, "bag-info.txt");
        var oxum = File.Exists(info)
            ? File.ReadLines(info).FirstOrDefault(l => l.StartsWith("Payload-Oxum:", StringComparison.Ordinal))?["Payload-Oxum:".Length..].Trim()
            : null;
        if (oxum is null)
        {
            return null;
        }

        var bytes = payload.Sum(f => new FileInfo(Path.Combine(bag, f)).Length);
        var actual = string.Create(CultureInfo.InvariantCulture, $"{bytes}.{payload.Count}");
        return oxum == actual ? null : $"bag-info.txt: Payload-Oxum is {oxum}, but the payload is {actual} (bytes.files).";
    }
}
