namespace Vexaa.Media;

// A segment-parallel MP3 encode (see SegmentPlanner): each segment's run, and the run that puts the spliced frames
// into the output file with the tags, chapters and cover a single pass would have written.
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
}
