using System.Globalization;
using System.Text;

namespace Vexaa.Packaging;

/// <summary>
/// Turns a folder whose payload is already in <c>data/</c> into a BagIt 1.0 bag (RFC 8493): <c>bagit.txt</c>, SHA-256 and
/// SHA-512 payload manifests, <c>bag-info.txt</c> (with how the payload was made), and a SHA-256 tag manifest over them.
/// Two algorithms because archives differ in which they check; both come from one read of each file.
/// </summary>
public static class BagWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>This build's version (with its commit), as bags record it.</summary>
    public static string VexaaVersion { get; } =
        typeof(BagWriter).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    /// <summary>Writes the tag files of the bag at <paramref name="bag"/>; its payload must be in <c>data/</c>.</summary>
    public static async Task WriteAsync(string bag, BagInfo info, CancellationToken cancellationToken)
    {
        var data = Path.Combine(bag, "data");
        if (!Directory.Exists(data))
        {
            throw new DirectoryNotFoundException($"The bag's payload folder '{data}' does not exist.");
        }

        if (info.Contents is { } contents)
        {
            await BagMetadata.WriteAsync(data, info, contents, cancellationToken).ConfigureAwait(false);
        }

        var payload = BagPaths.FilesUnder(bag, data);
        var manifests = BagPaths.Algorithms.ToDictionary(a => a, _ => new StringBuilder());
        long bytes = 0;
        foreach (var file in payload)
        {
            var path = Path.Combine(bag, file);
            bytes += new FileInfo(path).Length;
            foreach (var (algorithm, digest) in await BagPaths.DigestsAsync(path, BagPaths.Algorithms, cancellationToken).ConfigureAwait(false))
            {
                manifests[algorithm].Append(digest).Append("  ").Append(BagPaths.Encode(file)).Append('\n');
            }
        }

        await WriteTextAsync(bag, "bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", cancellationToken).ConfigureAwait(false);
        foreach (var (algorithm, text) in manifests)
        {
            await WriteTextAsync(bag, $"manifest-{algorithm}.txt", text.ToString(), cancellationToken).ConfigureAwait(false);
        }

        await WriteTextAsync(bag, "bag-info.txt", BagInfoText(info, bytes, payload.Count), cancellationToken).ConfigureAwait(false);
        var tags = new StringBuilder();
        foreach (var tag in new[] { "bagit.txt", "bag-info.txt" }.Concat(BagPaths.Algorithms.Select(a => $"manifest-{a}.txt")))
        {
            var digest = (await BagPaths.DigestsAsync(Path.Combine(bag, tag), ["sha256"], cancellationToken).ConfigureAwait(false))["sha256"];
            tags.Append(digest).Append("  ").Append(tag).Append('\n');
        }

        await WriteTextAsync(bag, "tagmanifest-sha256.txt", tags.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The name, size and SHA-256 of the file a bag is made from.</summary>
    public static async Task<BagSource> DescribeSourceAsync(string path, string name, CancellationToken cancellationToken) =>
        new(name, new FileInfo(path).Length, (await BagPaths.DigestsAsync(path, ["sha256"], cancellationToken).ConfigureAwait(false))["sha256"]);

    private static string BagInfoText(BagInfo info, long bytes, int count)
    {
        var lines = new List<(string Label, string Value)>
        {
            ("Bagging-Date", info.BaggingDate.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Payload-Oxum", string.Create(CultureInfo.InvariantCulture, $"{bytes}.{count}")),
        };
        if (info.SourceOrganization is { Length: > 0 } organization)
        {
            lines.Add(("Source-Organization", organization));
        }

        lines.Add(("Bag-Software-Agent", "VExAA " + info.VexaaVersion));
        lines.Add(("VExAA-Version", info.VexaaVersion));
        lines.Add(("VExAA-Source-File", info.Source.Name));
        lines.Add(("VExAA-Source-Size", info.Source.Size.ToString(CultureInfo.InvariantCulture)));
        lines.Add(("VExAA-Source-SHA256", info.Source.Sha256));
        if (info.FfmpegVersion is { } ffmpeg)
        {
            lines.Add(("VExAA-FFmpeg-Version", ffmpeg));
        }

        lines.AddRange(info.FfmpegCommandLines.Select(c => ("VExAA-FFmpeg-Command", c)));
        // A value is one line; anything that would break a line (a file name with a newline) is flattened to a space.
        return string.Concat(lines.Select(l => $"{l.Label}: {l.Value.ReplaceLineEndings(" ")}\n"));
    }

    private static Task WriteTextAsync(string bag, string name, string text, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(bag, name), text, Utf8, cancellationToken);
}
