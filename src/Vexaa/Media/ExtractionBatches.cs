namespace Vexaa.Media;

/// <summary>
/// How a plan's outputs are split over ffmpeg runs. Each loudnorm filter holds seconds of audio buffers (about 19 MB per
/// track measured), so normalised tracks go at most <see cref="NormalizedPerRun"/> to a run and memory stays flat however
/// many tracks a file has; everything else is written in one run that reads the input once.
/// </summary>
public static class ExtractionBatches
{
    public const int NormalizedPerRun = 4;

    /// <summary>The runs: the indexes (into <paramref name="plan"/>'s outputs) each writes, with the plan for just those.</summary>
    public static IReadOnlyList<(int[] Outputs, ExtractionPlan Plan)> Split(ExtractionPlan plan)
    {
        var size = plan.Normalize is null ? Math.Max(1, plan.Outputs.Count) : NormalizedPerRun;
        return [.. Enumerable.Range(0, plan.Outputs.Count).Chunk(size)
            .Select(indexes => (indexes, plan with { Outputs = [.. indexes.Select(i => plan.Outputs[i])] }))];
    }

    /// <summary>
    /// Bytes that PCM outputs will take for certain (duration × rate × channels × sample size): what is bound to pass the
    /// output limit can be refused before anything is written. Other codecs' sizes are not known in advance.
    /// </summary>
    public static long CertainPcmBytes(ExtractionPlan plan)
    {
        if (plan.ExpectedDuration is not { TotalSeconds: > 0 } duration)
        {
            return 0;
        }

        long total = 0;
        foreach (var o in plan.Outputs)
        {
            var codec = o.Copy ? o.Track.Codec : o.Encoder ?? "";
            var bytesPerSample = codec switch
            {
                "pcm_u8" or "pcm_s8" or "pcm_alaw" or "pcm_mulaw" => 1,
                "pcm_s16le" or "pcm_s16be" => 2,
                "pcm_s24le" or "pcm_s24be" => 3,
                "pcm_s32le" or "pcm_s32be" or "pcm_f32le" or "pcm_f32be" => 4,
                "pcm_f64le" or "pcm_f64be" => 8,
                _ => 0,
            };
            var rate = o.SampleRate ?? o.Track.SampleRate;
            var channels = o.Channels ?? o.Track.Channels;
            total += (long)(duration.TotalSeconds * rate) * channels * bytesPerSample;
        }

        return total;
    }
}
