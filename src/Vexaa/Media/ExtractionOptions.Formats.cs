namespace Vexaa.Media;

public sealed partial record ExtractionOptions
{
    /// <summary>
    /// Several formats written from one decode (<c>--format flac,mp3</c>); null or one entry means just <see cref="Format"/>.
    /// When set, <see cref="Format"/> is its first entry.
    /// </summary>
    public IReadOnlyList<string>? Formats { get; init; }

    /// <summary>Bitrates for single formats (<c>--bitrate mp3=128k</c>); they win over <see cref="BitrateKbps"/> for that format.</summary>
    public IReadOnlyDictionary<string, int> FormatBitrates { get; init; } = new Dictionary<string, int>();

    /// <summary>Sample rates for single formats (<c>--sample-rate mp3=44100</c>); they win over <see cref="SampleRate"/>.</summary>
    public IReadOnlyDictionary<string, int> FormatSampleRates { get; init; } = new Dictionary<string, int>();

    /// <summary>The formats to write, in order: <see cref="Formats"/>, or just <see cref="Format"/>.</summary>
    public IReadOnlyList<string> AllFormats => Formats is { Count: > 0 } several ? several : Format is { } one ? [one] : [];

    /// <summary>The options for one of the formats: its own bitrate and sample rate, where given, in place of the plain ones.</summary>
    public ExtractionOptions ForFormat(string format) => this with
    {
        Format = format,
        Formats = null,
        BitrateKbps = FormatBitrates.TryGetValue(format, out var kbps) ? kbps : BitrateKbps,
        SampleRate = FormatSampleRates.TryGetValue(format, out var rate) ? rate : SampleRate,
        FormatBitrates = new Dictionary<string, int>(),
        FormatSampleRates = new Dictionary<string, int>(),
    };
}
