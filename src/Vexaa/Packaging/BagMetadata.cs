using System.Text.Json;
using System.Text.Json.Serialization;
using Vexaa.Media;

namespace Vexaa.Packaging;

/// <summary>
/// Writes <c>data/metadata.json</c>: everything needed to know, years later, what the bag's audio is and how it was made
/// (the source's probe and checksum, the exact parameters, the ffmpeg build and command lines, loudness before and after,
/// chapters). It is payload, so the manifests cover it like the audio.
/// </summary>
internal static class BagMetadata
{
    public const string FileName = "metadata.json";

    /// <summary>Bumped when a field changes meaning, so readers can tell the layouts apart.</summary>
    private const string Schema = "vexaa-bag-metadata/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Lengths and times as seconds; enums by name; infinities (the loudness of silence) as strings.
        Converters = { new SecondsJsonConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(string data, BagInfo info, BagContents contents, CancellationToken cancellationToken)
    {
        var document = new
        {
            schema = Schema,
            created = info.BaggingDate.UtcDateTime,
            vexaa = info.VexaaVersion,
            ffmpeg = info.FfmpegVersion,
            source = info.Source,
            probe = contents.Probe,
            parameters = contents.Parameters,
            ffmpegArguments = info.FfmpegCommandLines,
            outputs = contents.Outputs.Select(o => new
            {
                file = "data/" + o.Name,
                o.File.Track,
                o.File.Format,
                o.File.Codec,
                o.File.Copied,
                o.File.BitrateKbps,
                o.File.SampleRate,
                o.File.Channels,
                o.File.Duration,
                o.File.SizeBytes,
                o.File.Part,
                o.File.Title,
                o.File.Start,
                o.File.Loudness,
                o.File.Chapters,
            }),
        };
        var path = Path.Combine(data, FileName);
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await JsonSerializer.SerializeAsync(stream, document, Json, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }
}
