namespace Vexaa.Media;

public static partial class FfmpegArguments
{
    /// <summary>
    /// A split run: the track is decoded once (and normalised once, so every part gets the same gain), copied by asplit to
    /// one atrim per part, and each part encoded to its own file. Neighbouring parts share the very same boundary value,
    /// which atrim turns into the same sample, so the parts add up to the whole without a sample lost or doubled.
    /// A batch (parts <paramref name="first"/> to first + <paramref name="count"/> - 1) decodes from the same start as
    /// every other batch, so its timeline, and so its cuts, are the same.
    /// </summary>
    private static List<string> Split(
        string inputPath,
        ExtractionPlan plan,
        IReadOnlyList<string> outputPaths,
        IReadOnlyList<LoudnessMeasurement?>? measured,
        long maxOutputBytes,
        int first,
        int count)
    {
        var args = Common(inputPath, plan, verbose: plan.Normalize is not null);
        AddCoverInput(args, plan);
        var output = plan.Outputs[0];
        var graph = new List<string>();
        var source = CutSource(plan, output.Track.StreamIndex, "c", graph);
        var normalise = NormalisedOutputs(plan, measured).Count > 0 ? Loudnorm(plan.Normalize!, measured![0]) + "," : "";
        var parts = plan.Parts.Skip(first).Take(count).ToList();
        graph.Add($"{source}{normalise}asplit={Num(parts.Count)}" + string.Concat(parts.Select((_, i) => $"[s{Num(i)}]")));
        var end = plan.Length;
        for (var i = 0; i < parts.Count; i++)
        {
            var until = parts[i].End ?? end;
            var trim = $"atrim=start={Seconds(parts[i].Start)}" + (until is { } u ? $":end={Seconds(u)}" : "");
            // Several formats: each cut part is copied once more, to one encoder per format.
            var formats = plan.Outputs.Count;
            var labels = string.Concat(Enumerable.Range(0, formats).Select(f => $"[p{Num(i)}_{Num(f)}]"));
            graph.Add($"[s{Num(i)}]{trim},asetpts=PTS-STARTPTS" + (formats > 1 ? $",asplit={Num(formats)}" : "") + labels);
        }

        args.AddRange(["-filter_complex", string.Join(';', graph)]);
        for (var i = 0; i < parts.Count; i++)
        {
            for (var f = 0; f < plan.Outputs.Count; f++)
            {
                var format = plan.Outputs[f];
                args.AddRange(["-map", $"[p{Num(i)}_{Num(f)}]"]);
                if (plan.KeepTags)
                {
                    args.AddRange(["-map_metadata:s:a:0", "0:s:" + Num(output.Track.StreamIndex)]);
                }

                AddEncoder(args, format);
                AddMetadata(args, plan, format, parts[i]);
                AddCover(args, plan, format);
                AddContainer(args, format, outputPaths[((first + i) * plan.Outputs.Count) + f], maxOutputBytes);
            }
        }

        return args;
    }
}
