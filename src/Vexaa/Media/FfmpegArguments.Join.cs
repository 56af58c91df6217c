using System.Text;

namespace Vexaa.Media;

// A join: every part decoded in the same run, brought to one rate and layout, gained to a common loudness and
// concatenated (or crossfaded) in one filter graph. ffmpeg reads a part only when the graph asks for it, so memory
// stays bounded however many parts there are (20 parts of 80 s crossfaded: 117 MB, as for 20 s parts).
public static partial class FfmpegArguments
{
    /// <summary>The loudnorm of part <paramref name="part"/> in <see cref="MeasureJoin"/>: ffmpeg numbers filters across the whole graph.</summary>
    internal static int MeasuredFilter(int part) => 3 * part + 2;

    /// <summary>The first pass: each part decoded, conformed as it will be joined, and measured; nothing is written.</summary>
    public static List<string> MeasureJoin(JoinPlan plan, LoudnessTarget measuring)
    {
        var args = JoinInputs(plan, null, verbose: true);
        // Three filters a part (aresample, aformat, loudnorm): MeasuredFilter depends on it.
        args.AddRange(["-filter_complex", string.Join(';', plan.Parts.Select((p, i) =>
            $"[{Num(i)}:{Num(p.Track.StreamIndex)}]{Conform(plan)},{Loudnorm(measuring, null)}[m{Num(i)}]"))]);
        for (var i = 0; i < plan.Parts.Count; i++)
        {
            args.AddRange(["-map", $"[m{Num(i)}]", "-f", "null", "-"]);
        }

        return args;
    }

    /// <summary>
    /// The join run. Part i goes through loudnorm (linear: a plain gain where the peaks allow it) when
    /// <paramref name="measured"/>[i] is finite; silence is left as it is. The joined stream is split to one encoder per
    /// format and to an ebur128 meter, whose summary is the output's loudness.
    /// </summary>
    public static List<string> Join(JoinPlan plan, IReadOnlyList<string> outputPaths, LoudnessTarget target, IReadOnlyList<LoudnessMeasurement?> measured,
        string? chaptersFile, long maxOutputBytes)
    {
        var args = JoinInputs(plan, chaptersFile, verbose: true);
        var graph = new List<string>();
        for (var i = 0; i < plan.Parts.Count; i++)
        {
            // No report from these: the meter's summary must stay within the stderr tail that is kept.
            var gain = measured[i] is { IntegratedLufs: > -99 } m ? $",{Loudnorm(target, m, report: false)},{Conform(plan)}" : "";
            graph.Add($"[{Num(i)}:{Num(plan.Parts[i].Track.StreamIndex)}]{Conform(plan)}{gain}[p{Num(i)}]");
        }

        if (plan.Crossfade > TimeSpan.Zero)
        {
            var previous = "[p0]";
            for (var i = 1; i < plan.Parts.Count; i++)
            {
                var next = i == plan.Parts.Count - 1 ? "[j]" : $"[x{Num(i)}]";
                graph.Add($"{previous}[p{Num(i)}]acrossfade=d={Seconds(plan.Crossfade)}:c1=tri:c2=tri{next}");
                previous = next;
            }
        }
        else
        {
            var segments = new StringBuilder("[p0]");
            for (var i = 1; i < plan.Parts.Count; i++)
            {
                if (plan.Gap > TimeSpan.Zero)
                {
                    graph.Add($"anullsrc=r={Num(plan.SampleRate)}:cl={plan.Layout}:d={Seconds(plan.Gap)},{Conform(plan)}[g{Num(i)}]");
                    segments.Append($"[g{Num(i)}]");
                }

                segments.Append($"[p{Num(i)}]");
            }

            var count = plan.Gap > TimeSpan.Zero ? 2 * plan.Parts.Count - 1 : plan.Parts.Count;
            graph.Add($"{segments}concat=n={Num(count)}:v=0:a=1[j]");
        }

        var formats = plan.Output.Outputs;
        graph.Add($"[j]asplit={Num(formats.Count + 1)}{string.Concat(formats.Select((_, k) => $"[o{Num(k)}]"))}[meter]");
        graph.Add("[meter]ebur128=framelog=verbose[metered]");
        args.AddRange(["-filter_complex", string.Join(';', graph)]);
        for (var k = 0; k < formats.Count; k++)
        {
            var output = formats[k];
            args.AddRange(["-map", $"[o{Num(k)}]"]);
            AddEncoder(args, output);
            // The graph carries float samples; lossless formats keep the sources' depth rather than growing to 24 bits.
            var depth = output.Encoder switch { "flac" => plan.Deep ? "s32" : "s16", "alac" => plan.Deep ? "s32p" : "s16p", _ => null };
            if (depth is not null)
            {
                args.AddRange(["-sample_fmt", depth]);
            }

            AddJoinMetadata(args, plan, output, chaptersFile is null ? null : plan.Parts.Count);
            AddContainer(args, output, outputPaths[k], maxOutputBytes);
        }

        args.AddRange(["-map", "[metered]", "-f", "null", "-"]);
        return args;
    }

    /// <summary>The chapters as an FFMETADATA file, which ffmpeg reads as one more input to write MP3, MP4 and Opus chapters.</summary>
    public static string ChaptersMetadata(IReadOnlyList<Chapter> chapters)
    {
        var text = new StringBuilder(";FFMETADATA1\n");
        foreach (var c in chapters)
        {
            text.Append("[CHAPTER]\nTIMEBASE=1/1000\n")
                .Append("START=").Append(Num((long)c.Start.TotalMilliseconds)).Append('\n')
                .Append("END=").Append(Num((long)c.End.TotalMilliseconds)).Append('\n');
            if (c.Title is { } title)
            {
                // The format's special characters are escaped with a backslash; titles are one line already (ChapterMarkers.Clean).
                text.Append("title=").Append(EscapeMetadata(title)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string EscapeMetadata(string value)
    {
        var escaped = new StringBuilder();
        foreach (var c in value)
        {
            if (c is '=' or ';' or '#' or '\\' or '\n')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static void AddJoinMetadata(List<string> args, JoinPlan plan, TrackPlan output, int? chaptersInput)
    {
        // The parts' own tags are not the whole's (the intro's title is not the episode's): only --tag values are written.
        var markers = plan.Output.Chapters.Count > 0 && ChapterMarkers.Holds(output.Muxer);
        if (markers && !ChapterMarkers.WrittenAsComments(output.Muxer) && chaptersInput is { } index)
        {
            args.AddRange(["-map_metadata", Num(index), "-map_chapters", Num(index)]);
        }
        else
        {
            args.AddRange(["-map_metadata", "-1", "-map_chapters", "-1"]);
        }

        foreach (var (key, value) in plan.Output.Tags)
        {
            args.AddRange(["-metadata", key + "=" + value]);
        }

        if (markers && ChapterMarkers.WrittenAsComments(output.Muxer))
        {
            args.AddRange(["-metadata", "encoder=", .. ChapterMarkers.CommentArguments(plan.Output.Chapters)]);
        }
    }

    private static string Conform(JoinPlan plan) =>
        $"aresample={Num(plan.SampleRate)},aformat=sample_fmts=fltp:sample_rates={Num(plan.SampleRate)}:channel_layouts={plan.Layout}";

    private static List<string> JoinInputs(JoinPlan plan, string? chaptersFile, bool verbose)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-nostats", "-y", "-v", verbose ? "level+info" : "level+warning", "-progress", "pipe:1"];
        foreach (var part in plan.Parts)
        {
            // The allow-lists are options of each input, so every part gets its own.
            args.AddRange(["-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", ContainerAllowList.FormatWhitelist,
                "-i", InputUrl(part.Input.Path)]);
        }

        if (chaptersFile is not null)
        {
            // Written by VExAA, read as exactly this format and nothing else.
            args.AddRange(["-protocol_whitelist", "file", "-format_whitelist", "ffmetadata", "-f", "ffmetadata", "-i", InputUrl(chaptersFile)]);
        }

        return args;
    }
}
