using System.Globalization;
using System.Text.RegularExpressions;

namespace Vexaa.Media;

// What is checked before a join starts (the outputs) and after it ran (the files and the loudness; the length as extract checks it).
public sealed partial class AudioJoiner
{
    private static void CheckOutputs(JoinPlan plan, List<string> finals, bool overwrite)
    {
        foreach (var path in finals)
        {
            if (plan.Parts.Any(p => p.Input.Path == path))
            {
                throw MediaException.Invalid($"The output '{path}' is one of the inputs; choose another name or folder.");
            }

            if (OutputNaming.Unwritable(path) is { } why)
            {
                throw new MediaException(MediaError.OutputNotWritable, why);
            }

            if (!overwrite && File.Exists(path))
            {
                throw new MediaException(MediaError.OutputExists, $"'{path}' already exists; pass --overwrite to replace it.");
            }
        }
    }

    private List<ExtractedFile> Files(JoinPlan plan, List<string> temporaries, List<string> finals, FfmpegRun run)
    {
        var files = new List<ExtractedFile>();
        long written = 0;
        for (var k = 0; k < plan.Output.Outputs.Count; k++)
        {
            var file = new FileInfo(temporaries[k]);
            if (!file.Exists || file.Length == 0)
            {
                throw run.SawErrors
                    ? new MediaException(MediaError.CorruptMedia, $"The parts' audio could not be decoded ({run.FirstError}).", run.StderrTail)
                    : new MediaException(MediaError.EncodingFailed, "ffmpeg finished without writing any audio.", run.StderrTail);
            }

            written += file.Length;
            if (written > limits.MaxOutputBytes)
            {
                throw new MediaException(MediaError.OutputSizeLimitExceeded,
                    $"The outputs would together be larger than the {limits.MaxOutputBytes:N0}-byte limit; choose a lower bitrate or a compressed format.");
            }

            var o = plan.Output.Outputs[k];
            var chapters = !ChapterMarkers.Holds(o.Muxer) ? [] : ChapterMarkers.WrittenAsComments(o.Muxer) ? [.. plan.Output.Chapters.Take(999)] : plan.Output.Chapters;
            files.Add(new ExtractedFile(finals[k], o.Track.Index, o.Format, o.OutputCodec, false, o.BitrateKbps, o.SampleRate, o.Channels ?? o.Track.Channels,
                plan.Output.ExpectedDuration ?? run.Processed, file.Length, null)
            {
                Chapters = chapters,
            });
        }

        return files;
    }

    /// <summary>The integrated loudness from the ebur128 meter's summary, the last lines ffmpeg prints.</summary>
    internal static double? OutputLoudness(string stderrTail) => Measured(stderrTail)?.IntegratedLufs;

    /// <summary>
    /// A part's loudness and true peak from the last ebur128 summary in ffmpeg's stderr (ffmpeg prints an empty one
    /// first, when it configures the graph); null for silence, which ebur128 gives as −70 LUFS.
    /// </summary>
    internal static PartLoudness? Measured(string stderrTail)
    {
        var at = stderrTail.LastIndexOf("Summary:", StringComparison.Ordinal);
        if (at < 0 || Integrated().Match(stderrTail, at) is not { Success: true } i || Number(i.Groups[1].Value) is not { } lufs || lufs <= -69.9)
        {
            return null;
        }

        var peak = TruePeak().Match(stderrTail, at) is { Success: true } p ? Number(p.Groups[1].Value) : null;
        return new PartLoudness(lufs, peak ?? 0);
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    [GeneratedRegex(@"I:\s+(-?[0-9]+(?:\.[0-9]+)?) LUFS")]
    private static partial Regex Integrated();

    [GeneratedRegex(@"Peak:\s+(-?[0-9]+(?:\.[0-9]+)?) dBFS")]
    private static partial Regex TruePeak();
}

/// <summary>What ebur128 measured of a part as it will be joined: integrated loudness (LUFS) and true peak (dBTP).</summary>
internal sealed record PartLoudness(double IntegratedLufs, double TruePeakDbtp);
