namespace Vexaa.Media;

/// <summary>An EBU R128 loudness target for two-pass loudnorm.</summary>
public sealed record LoudnessTarget(string Name, double IntegratedLufs, double TruePeakDbtp, double LoudnessRange)
{
    public static readonly LoudnessTarget Podcast = new("podcast", -16, -1, 11);
    public static readonly LoudnessTarget Streaming = new("streaming", -14, -1, 11);
    public static readonly LoudnessTarget Broadcast = new("broadcast", -23, -1, 15);

    public static IReadOnlyList<LoudnessTarget> All { get; } = [Podcast, Streaming, Broadcast];

    public static LoudnessTarget? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Loudness as loudnorm measured it.</summary>
public sealed record LoudnessMeasurement(double IntegratedLufs, double TruePeakDbtp, double LoudnessRange, double Threshold, double TargetOffset);
