using System.Globalization;

namespace Vexaa.Media;

/// <summary>
/// Copies audio tracks out of a video into an audio-only file, packet for packet (<c>-c copy</c>), so a client can send
/// a server the sound instead of the whole video. The input is read under the same protocol and format allow-lists as
/// every extraction. The output is bit-exact (no encoder version, no random ids): the same input and tracks always give
/// the same bytes, which lets an interrupted upload resume and the server recognise an input it converted before.
/// </summary>
public sealed class AudioTrackCopier(MediaTools tools)
{
    /// <summary>
    /// The container that holds these codecs without changing their sound: AAC and ALAC in MPEG-4 audio (its edit list
    /// keeps AAC's encoder priming out of the decoded samples, which Matroska in ffmpeg 5.1 does not), anything else in
    /// Matroska, which takes nearly every codec.
    /// </summary>
    public static (string Muxer, string Extension) ContainerFor(IEnumerable<string> codecs) =>
        codecs.All(c => c is "aac" or "alac") ? ("ipod", ".m4a") : ("matroska", ".mka");

    /// <summary>Writes <paramref name="tracks"/> of <paramref name="inputPath"/> (with its tags and chapters) to a new file in <paramref name="folder"/>.</summary>
    /// <returns>The path of the copy.</returns>
    public async Task<string> CopyAsync(string inputPath, IReadOnlyList<AudioTrack> tracks, string folder, CancellationToken cancellationToken)
    {
        var (muxer, extension) = ContainerFor(tracks.Select(t => t.Codec));
        var output = Path.Combine(folder, "audio" + extension);
        var input = Path.GetFullPath(inputPath);
        List<string> args =
        [
            "-hide_banner", "-nostdin", "-nostats", "-y", "-v", "level+error",
            "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist,
            "-format_whitelist", ContainerAllowList.FormatWhitelist,
            "-i", FfmpegArguments.InputUrl(input),
        ];
        foreach (var track in tracks)
        {
            args.AddRange(["-map", "0:" + track.StreamIndex.ToString(CultureInfo.InvariantCulture)]);
        }

        args.AddRange(["-map_metadata", "0", "-map_chapters", "0", "-c", "copy", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-f", muxer, "file:" + output]);
        var result = await ToolRunner.RunAsync(tools.Ffmpeg, args, new SandboxView([input], [folder]), tools.Sandbox, null, null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
        {
            File.Delete(output);
            var last = result.StderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {result.ExitCode}";
            throw new MediaException(MediaError.EncodingFailed, $"copying the audio failed: {last}", result.StderrTail);
        }

        return output;
    }
}
