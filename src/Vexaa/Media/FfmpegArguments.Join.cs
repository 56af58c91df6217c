using System.Text;

namespace Vexaa.Media;

// A join: every part decoded in the same run, brought to one rate and layout, gained to a common loudness and
// concatenated (or crossfaded) in one filter graph. ffmpeg reads a part only when the graph asks for it, so memory
// stays bounded however long the parts are (20 parts of 80 s crossfaded: 117 MB, as for 20 s parts).
public static partial class FfmpegArguments
{
    /// <summary>
    /// The first pass for one part: decoded, conformed as it will be joined, and measured by ebur128 (integrated loudness,
    /// true peak); nothing is written. One part a run: ebur128 is light, but every input open at once is not.
    /// </summary>
    public static List<string> MeasurePart(JoinPlan plan, int part)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-nostats", "-y", "-v", "level+info", "-progress", "pipe:1",
            "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist, "-format_whitelist", ContainerAllowList.FormatWhitelist,
            "-i", InputUrl(plan.Parts[part].Input.Path)];
        args.AddRange(["-filter_complex", $"[0:{Num(plan.Parts[part].Track.StreamIndex)}]{Conform(plan)},ebur128=peak=true:framelog=verbose[m]",
            "-map", "[m]", "-f", "null", "-"]);
        return args;
    }

    /// <summary>
    /// The join run. Part i is gained by <paramref name="gainsDb"/>[i] (null: left as it is). The joined stream is split to
    /// one encoder per format and to an ebur128 meter, whose summary is the output's loudness.
    /// </summary>
    public static List<string> Join(JoinPlan plan, IReadOnlyList<string> outputPaths, IReadOnlyList<double?> gainsDb, string? chaptersFile, long maxOutputBytes)
    {
        var args = JoinInputs(plan, chaptersFile);
        var graph = new List<string>();
        for (var i = 0; i < plan.Parts.Count; i++)
        {
            // A plain gain: loudnorm would hold about 55 MB a part (it works at 192 kHz), and every part is open at once.
            var gain = gainsDb[i] is { } db ? $",volume=volume={Dec(db)}dB:precision=double" : "";
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

    private static List<string> JoinInputs(JoinPlan plan, string? chaptersFile)
    {
        List<string> args = ["-hide_banner", "-nostdin", "-nostats", "-y", "-v", "level+info", "-progress", "pipe:1"];
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
