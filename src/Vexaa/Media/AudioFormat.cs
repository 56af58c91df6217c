namespace Vexaa.Media;

/// <summary>An output format: which encoder writes it, into which container, and what settings it accepts.</summary>
public sealed record AudioFormat
{
    public required string Name { get; init; }

    /// <summary>The codec name ffprobe reports for this format's audio (used to decide on a stream copy).</summary>
    public required string Codec { get; init; }

    public required string Encoder { get; init; }
    public required string Muxer { get; init; }
    public required string Extension { get; init; }
    public required string Description { get; init; }
    public bool Lossless { get; init; }

    /// <summary>Allowed bitrates in kbit/s: an explicit set, or a range when <see cref="BitrateSet"/> is null.</summary>
    public int[]? BitrateSet { get; init; }
    public (int Min, int Max)? BitrateRange { get; init; }
    public int? DefaultBitrateKbps { get; init; }

    /// <summary>The VBR quality scale (ffmpeg's -q:a), when the encoder has one.</summary>
    public (double Min, double Max, string Meaning)? QualityRange { get; init; }
    public double? DefaultQuality { get; init; }

    /// <summary>Sample rates the encoder can write: an explicit set, or any within <see cref="SampleRateRange"/>.</summary>
    public int[]? SampleRates { get; init; }
    public (int Min, int Max) SampleRateRange { get; init; } = (1000, 384000);
    public int MaxChannels { get; init; } = 8;

    /// <summary>True when this format can hold a stream of <paramref name="codec"/> without re-encoding.</summary>
    public bool CanCopy(string codec) => Name == "wav" ? WavCopyable.Contains(codec) : codec == Codec;

    internal static readonly string[] WavCopyable = ["pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8"];

    public bool AcceptsBitrate => BitrateSet is not null || BitrateRange is not null;

    public bool SupportsSampleRate(int rate) =>
        SampleRates?.Contains(rate) ?? (rate >= SampleRateRange.Min && rate <= SampleRateRange.Max);

    /// <summary>The supported rate closest to <paramref name="rate"/>, preferring the higher one on a tie.</summary>
    public int NearestSampleRate(int rate) =>
        SampleRates is null
            ? Math.Clamp(rate, SampleRateRange.Min, SampleRateRange.Max)
            : SampleRates.OrderBy(r => Math.Abs(r - rate)).ThenByDescending(r => r).First();
}
