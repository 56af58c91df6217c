namespace Vexaa.Media;

// A segment-parallel encode (see SegmentPlanner). MP3: each segment's run, and the run that puts the spliced frames
// into the output file with the tags, chapters and cover a single pass would have written. FLAC: the first segment is
// the single pass stopped after its blocks, the later ones bare frames (the last also hashing every sample).
public static partial class FfmpegArguments
{
    /// <summary>
    /// One segment: the track decoded from the start (so its samples are the single pass's, to the sample), cut to the
    /// segment's input samples and encoded exactly as the single pass would, into bare frames behind an Info frame.
    /// </summary>
    internal static List<string> Segment(string inputPath, ExtractionPlan plan, EncodeSegment segment, string outputPath, long maxOutputBytes)
    {
        var output = plan.Outputs[0];
        var args = Common(inputPath, plan, verbose: false);
        var end = segment.InputEnd is { } e ? $":end_sample={Num(e)}" : "";
        args.AddRange(["-filter_complex", $"[0:{Num(output.Track.StreamIndex)}]atrim=start_sample={Num(segment.InputStart)}{end},asetpts=PTS-STARTPTS[s]", "-map", "[s]"]);
        AddEncoder(args, output);
        // The Info frame records the segment's own encoder delay and padding; the splice reads them and drops the frame.
        args.AddRange(["-map_metadata", "-1", "-map_chapters", "-1", "-id3v2_version", "0", "-write_xing", "1",
            "-fs", Num(maxOutputBytes + 1), "-f", "mp3", "file:" + outputPath]);
        return args;
    }

    /// <summary>
    /// The output file from the spliced frames (copied, not encoded again): the input comes first, as in the single
    /// pass, so its tags and chapters are mapped the same way; the frames are the last input.
    /// </summary>
    internal static List<string> SegmentsJoined(string inputPath, ExtractionPlan plan, string joinedPath, string outputPath, long maxOutputBytes)
    {
        var output = plan.Outputs[0];
        var args = Common(inputPath, plan, verbose: false);
        AddCoverInput(args, plan);
        var frames = plan.CoverArt is not null ? 2 : 1;
        args.AddRange(["-f", "mp3", "-i", InputUrl(joinedPath), "-map", $"{Num(frames)}:a", "-c:a", "copy"]);
        if (plan.KeepTags)
        {
            args.AddRange(["-map_metadata:s:a:0", "0:s:" + Num(output.Track.StreamIndex)]);
        }

        AddMetadata(args, plan, output);
        AddCover(args, plan, output);
        AddContainer(args, output, outputPath, maxOutputBytes);
        return args;
    }

    /// <summary>
    /// FLAC's first segment: the single pass's own command (so its metadata blocks are the single pass's), its track cut
    /// after <paramref name="samples"/> samples (a multiple of the block size) before the encoder, which then writes the
    /// true frame sizes into STREAMINFO as the single pass does.
    /// </summary>
    internal static List<string> FlacFirst(string inputPath, ExtractionPlan plan, long samples, string outputPath, long maxOutputBytes)
    {
        var args = Extract(inputPath, plan, [outputPath], null, maxOutputBytes);
        // Before the output's name, which Extract puts last. A plan that is segmented has no other filter.
        args.InsertRange(args.Count - 1, ["-af", $"atrim=end_sample={Num(samples)}"]);
        return args;
    }

    /// <summary>
    /// A later FLAC segment: the track decoded from the start, cut to the segment's samples and encoded as the single pass
    /// would (frames only; the first segment carries the tags). The last segment, which decodes every sample anyway, also
    /// writes the MD5 of the whole's samples as STREAMINFO holds it: after the same channel mix, in 24 bits.
    /// </summary>
    internal static List<string> FlacSegment(string inputPath, ExtractionPlan plan, EncodeSegment segment, string outputPath, string? md5Path, long maxOutputBytes)
    {
        var output = plan.Outputs[0];
        var args = Common(inputPath, plan, verbose: false);
        var track = $"[0:{Num(output.Track.StreamIndex)}]";
        var end = segment.InputEnd is { } e ? $":end_sample={Num(e)}" : "";
        var graph = $"{track}atrim=start_sample={Num(segment.InputStart)}{end},asetpts=PTS-STARTPTS[s]" + (md5Path is null ? "" : $";{track}anull[m]");
        args.AddRange(["-filter_complex", graph, "-map", "[s]"]);
        AddEncoder(args, output);
        args.AddRange(["-map_metadata", "-1", "-map_chapters", "-1", "-fs", Num(maxOutputBytes + 1), "-f", "flac", "file:" + outputPath]);
        if (md5Path is not null)
        {
            args.AddRange(["-map", "[m]", "-c:a", "pcm_s24le"]);
            if (output.Channels is { } channels)
            {
                args.AddRange(["-ac", Num(channels)]);
            }

            args.AddRange(["-f", "md5", "file:" + md5Path]);
        }

        return args;
    }
}
