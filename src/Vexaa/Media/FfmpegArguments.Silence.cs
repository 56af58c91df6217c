namespace Vexaa.Media;

// Silence: the detection pass, and the cut that shortens long pauses in front of every encoder (and loudness measurement).
public static partial class FfmpegArguments
{
    /// <summary>The detection pass: the planned track over the planned range through silencedetect, writing nothing.</summary>
    public static List<string> DetectSilence(string inputPath, ExtractionPlan plan, double thresholdDb, TimeSpan minLength)
    {
        // silencedetect reports at info level, one line per pause edge.
        var args = Common(inputPath, plan, verbose: true);
        // The range is ended by atrim, in front of the detector: -t would end the output, with the detector already past it.
        var range = plan.Length is { } length ? $"atrim=end={Seconds(length)}," : "";
        args.AddRange(["-map", "0:" + Num(plan.Outputs[0].Track.StreamIndex), "-af", $"{range}silencedetect=noise={Dec(thresholdDb)}dB:duration={Seconds(minLength)}"]);

        args.AddRange(["-f", "null", "-"]);
        return args;
    }

    /// <summary>
    /// The label the audio of stream <paramref name="stream"/> is taken from: the stream itself, or with cuts, the end of a
    /// chain added to <paramref name="graph"/>: the range ended by atrim (the output's -t would come after the cuts), then
    /// asegment splitting at every cut's edges and concat joining the kept pieces (the cut ones go to anullsink). asegment
    /// feeds one piece at a time and concat reads them in that order, so nothing waits in a buffer, however many cuts.
    /// </summary>
    private static string CutSource(ExtractionPlan plan, int stream, string name, List<string> graph)
    {
        var source = $"[0:{Num(stream)}]";
        if (plan.Cuts.Count == 0)
        {
            return source;
        }

        var edges = plan.Cuts.SelectMany(c => new[] { c.Start, c.End }).ToList();
        var pieces = Enumerable.Range(0, edges.Count + 1).Select(i => $"[{name}p{Num(i)}]").ToList();
        // asetpts: asegment reads atrim's timestamps wrongly (ffmpeg 5.1 kept 5.5 s of the 8 s asked for) unless they start at 0.
        var range = plan.Length is { } length ? $"atrim=end={Seconds(length)}," : "";
        graph.Add($"{source}{range}asetpts=PTS-STARTPTS,asegment=timestamps={string.Join('|', edges.Select(Seconds))}{string.Concat(pieces)}");
        graph.AddRange(pieces.Where((_, i) => i % 2 == 1).Select(p => $"{p}anullsink"));
        var kept = pieces.Where((_, i) => i % 2 == 0).ToList();
        // concat's timestamps are not the kept audio's (ffmpeg 5.1): an output -t then ends it early and progress runs ahead.
        // aresample evens out the frames (linear loudnorm otherwise hands the muxer timestamps that run back), and
        // asetpts counts the time again from the samples; measured on every combination with and without loudnorm.
        graph.Add($"{string.Concat(kept)}concat=n={Num(kept.Count)}:v=0:a=1,aresample,asetpts=N/SR/TB[{name}]");
        return $"[{name}]";
    }
}
