using System.Globalization;

namespace Vexaa.Media;

/// <summary>
/// Builds ffmpeg argument lists from a validated plan. Only values this code formats itself (numbers, names from
/// fixed tables) and whole, separate arguments (paths, tag values) ever reach the list, so user input cannot add options.
/// </summary>
public static partial class FfmpegArguments
{
    /// <summary>A local path as ffmpeg should read it: with <c>file:</c> so no name is ever taken for a protocol or an option.</summary>
    public static string InputUrl(string fullPath) => "file:" + fullPath;

    /// <summary>The extraction run: one input read once, one output per planned track.</summary>
    public static List<string> Extract(
        string inputPath,
        ExtractionPlan plan,
        IReadOnlyList<string> outputPaths,
        IReadOnlyList<LoudnessMeasurement?>? measured,
        long maxOutputBytes,
        int firstPart = 0,
        int partCount = int.MaxValue)
    {
        if (plan.Parts.Count > 0)
        {
            return Split(inputPath, plan, outputPaths, measured, maxOutputBytes, firstPart, Math.Min(partCount, plan.Parts.Count - firstPart));
        }

        var args = Common(inputPath, plan, verbose: plan.Normalize is not null);
        AddCoverInput(args, plan);

        // Normalised tracks go through one filter graph so each loudnorm instance has its own name
        // (Parsed_loudnorm_N) and its report can be told apart. Silence measures -inf LUFS and is left as it is.
        // With --max-pause every encoded output goes through the graph, its long pauses cut out first.
        var normalised = NormalisedOutputs(plan, measured);
        var filtered = Enumerable.Range(0, plan.Outputs.Count).Where(i => normalised.Contains(i) || (plan.Cuts.Count > 0 && !plan.Outputs[i].Copy)).ToList();
        if (filtered.Count > 0)
        {
            var graph = new List<string>();
            foreach (var i in filtered)
            {
                var source = CutSource(plan, plan.Outputs[i].Track.StreamIndex, $"c{Num(i)}", graph);
                graph.Add($"{source}{(normalised.Contains(i) ? Loudnorm(plan.Normalize!, measured![i]) : "anull")}[n{Num(i)}]");
            }

            args.AddRange(["-filter_complex", string.Join(';', graph)]);
        }

        for (var i = 0; i < plan.Outputs.Count; i++)
        {
            var output = plan.Outputs[i];
            if (filtered.Contains(i))
            {
                // A filtered stream forgets where it came from; give it back the source track's language and title.
                args.AddRange(["-map", $"[n{Num(i)}]"]);
                if (plan.KeepTags)
                {
                    args.AddRange(["-map_metadata:s:a:0", "0:s:" + Num(output.Track.StreamIndex)]);
                }
            }
            else
            {
                args.AddRange(["-map", "0:" + Num(output.Track.StreamIndex)]);
            }

            if (output.Copy)
            {
                args.AddRange(["-c:a", "copy"]);
            }
            else
            {
                AddEncoder(args, output);
            }

            if (plan.Length is { } length)
            {
                args.AddRange(["-t", Seconds(length)]);
            }

            AddMetadata(args, plan, output);
            AddCover(args, plan, output);
            AddContainer(args, output, outputPaths[i], maxOutputBytes);
        }

        return args;
    }

    private static void AddContainer(List<string> args, TrackPlan output, string path, long maxOutputBytes)
    {
        args.AddRange(output.Muxer switch
        {
            "mp3" => ["-id3v2_version", "3"],
            "ipod" => ["-movflags", "+faststart"],
            _ => [],
        });
        // -fs stops ffmpeg just past the limit; the extractor then reports the limit instead of a cut file.
        args.AddRange(["-fs", Num(maxOutputBytes + 1), "-f", output.Muxer, "file:" + path]);
    }

    /// <summary>The first loudnorm pass: decode the selected tracks once and measure each, writing nothing.</summary>
    public static List<string> MeasureLoudness(string inputPath, ExtractionPlan plan)
    {
        var target = plan.Normalize ?? throw new InvalidOperationException("The plan has no loudness target.");
        var args = Common(inputPath, plan, verbose: true);
        // Measured as it will be written: after the cuts of --max-pause.
        var graph = new List<string>();
        for (var i = 0; i < plan.Outputs.Count; i++)
        {
            graph.Add($"{CutSource(plan, plan.Outputs[i].Track.StreamIndex, $"c{Num(i)}", graph)}{Loudnorm(target, null)}[m{Num(i)}]");
        }

        args.AddRange(["-filter_complex", string.Join(';', graph)]);
        for (var i = 0; i < plan.Outputs.Count; i++)
        {
            args.AddRange(["-map", $"[m{Num(i)}]"]);
            if (plan.Length is { } length)
            {
                args.AddRange(["-t", Seconds(length)]);
            }

            args.AddRange(["-f", "null", "-"]);
        }

        return args;
    }

    /// <summary>
    /// The outputs that get a loudnorm filter, in filter order (Parsed_loudnorm_0, _1, ...): re-encoded tracks whose
    /// measurement is finite. Silence measures -inf LUFS and cannot be normalised, so it is encoded as it is.
    /// </summary>
    internal static List<int> NormalisedOutputs(ExtractionPlan plan, IReadOnlyList<LoudnessMeasurement?>? measured) =>
        plan.Normalize is null || measured is null
            ? []
            : [.. Enumerable.Range(0, plan.Outputs.Count).Where(i => !plan.Outputs[i].Copy && measured[i] is { IntegratedLufs: > -99 })];

    private static List<string> Common(string inputPath, ExtractionPlan plan, bool verbose)
    {
        // loudnorm reports at info level; "level" prefixes every line with its severity so errors stay recognisable.
        List<string> args =
        [
            "-hide_banner", "-nostdin", "-nostats", "-y",
            "-v", verbose ? "level+info" : "level+warning",
            "-progress", "pipe:1",
            "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist,
            "-format_whitelist", ContainerAllowList.FormatWhitelist,
        ];
        if (plan.Start is { } start && start > TimeSpan.Zero)
        {
            args.AddRange(["-ss", Seconds(start)]);
        }

        args.AddRange(["-i", InputUrl(inputPath)]);
        return args;
    }

    private static void AddEncoder(List<string> args, TrackPlan output)
    {
        args.AddRange(["-c:a", output.Encoder!]);
        if (output.BitrateKbps is { } kbps)
        {
            args.AddRange(["-b:a", Num(kbps) + "k"]);
        }

        if (output.Quality is { } quality)
        {
            args.AddRange(["-q:a", quality.ToString("0.##", CultureInfo.InvariantCulture)]);
        }

        if (output.SampleRate is { } rate)
        {
            args.AddRange(["-ar", Num(rate)]);
        }

        if (output.Channels is { } channels)
        {
            args.AddRange(["-ac", Num(channels)]);
        }
    }

    private static void AddMetadata(List<string> args, ExtractionPlan plan, TrackPlan output, SplitPart? part = null)
    {
        if (!plan.KeepTags)
        {
            args.AddRange(["-map_metadata", "-1", "-map_chapters", "-1"]);
        }
        else
        {
            // Keep what people wrote (title, artist, ...) but not the source container's bookkeeping.
            args.AddRange(["-map_metadata", "0", "-metadata", "major_brand=", "-metadata", "minor_version=", "-metadata", "compatible_brands="]);

            // Audio-only formats such as MP3 and FLAC have no per-track language; keep the track's as a file tag.
            if (output.Track.PlainLanguage is { } language)
            {
                args.AddRange(["-metadata", "language=" + language]);
            }
        }

        foreach (var (key, value) in plan.Tags)
        {
            args.AddRange(["-metadata", key + "=" + value]);
        }

        if (part is not null)
        {
            // Each part is its own track: its title and number win over the input's (and a --tag title) for these two tags.
            args.AddRange(["-map_chapters", "-1", "-metadata", "title=" + part.Title, "-metadata", $"track={Num(part.Number)}/{Num(plan.Parts.Count)}"]);
        }

        if (ChapterMarkers.WrittenAsComments(output.Muxer) && plan.Chapters.Count > 0)
        {
            args.AddRange(["-metadata", "encoder=", .. ChapterMarkers.CommentArguments(plan.Chapters)]);
        }
    }

    internal static string Loudnorm(LoudnessTarget target, LoudnessMeasurement? measured)
    {
        var filter = $"loudnorm=I={Dec(target.IntegratedLufs)}:TP={Dec(target.TruePeakDbtp)}:LRA={Dec(target.LoudnessRange)}";
        if (measured is not null)
        {
            filter += $":measured_I={Dec(Math.Clamp(measured.IntegratedLufs, -99, 0))}"
                + $":measured_TP={Dec(Math.Clamp(measured.TruePeakDbtp, -99, 99))}"
                + $":measured_LRA={Dec(Math.Clamp(measured.LoudnessRange, 0, 99))}"
                + $":measured_thresh={Dec(Math.Clamp(measured.Threshold, -99, 0))}"
                + $":offset={Dec(Math.Clamp(measured.TargetOffset, -99, 99))}:linear=true";
        }

        return filter + ":print_format=json";
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Dec(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);
}
