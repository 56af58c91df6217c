using System.Globalization;
using Vexaa.Media;

namespace Vexaa.Jobs;

/// <summary>
/// A job's options as the API takes them (the same words as the CLI flags). <see cref="ToExtractionOptions"/> parses
/// and checks them with the engine's own rules, so the API accepts exactly what the CLI accepts.
/// </summary>
public sealed partial record JobOptions
{
    public string? Format { get; init; }
    public string? Bitrate { get; init; }
    public double? Quality { get; init; }
    public string? SampleRate { get; init; }
    public int? Channels { get; init; }
    public int? Track { get; init; }
    public string? Language { get; init; }
    public bool AllTracks { get; init; }
    public string? Start { get; init; }
    public string? End { get; init; }
    public string? Normalize { get; init; }
    public Dictionary<string, string>? Tags { get; init; }
    public bool KeepTags { get; init; } = true;

    /// <summary>"chapters": one result per chapter; "silence" or "silence:SECONDS": one per stretch between pauses.</summary>
    public string? Split { get; init; }

    /// <summary>Remove the silence at the start and the end.</summary>
    public bool TrimSilence { get; init; }

    /// <summary>Shorten every pause longer than this many seconds to it.</summary>
    public string? MaxPause { get; init; }

    /// <summary>What counts as silence, in dBFS (default -50), and the shortest pause that counts (default 0.5 s).</summary>
    public string? SilenceThreshold { get; init; }
    public string? SilenceMin { get; init; }

    /// <summary>Parses and validates; throws <see cref="MediaException"/> (invalid-option) naming the field.</summary>
    public ExtractionOptions ToExtractionOptions()
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in Tags ?? [])
        {
            var tag = OptionParser.ParseTag(key + "=" + value);
            tags[tag.Key] = tag.Value;
        }

        var options = new ExtractionOptions
        {
            Format = (Format ?? "mp3").Trim().ToLowerInvariant(),
            Quality = Quality is { } q && !double.IsFinite(q) ? throw MediaException.Invalid("quality must be a number.") : Quality,
            Channels = Channels,
            Track = Track,
            Language = Language is { Length: > 0 } l ? OptionParser.ParseLanguage(l) : null,
            AllTracks = AllTracks,
            Start = Start is { Length: > 0 } s ? OptionParser.ParseTime(s, "start") : null,
            End = End is { Length: > 0 } e ? OptionParser.ParseTime(e, "end") : null,
            Normalize = Normalize is { Length: > 0 } n
                ? LoudnessTarget.Find(n) ?? throw MediaException.Invalid($"normalize '{n}' is not a target; use podcast, streaming or broadcast.")
                : null,
            Tags = tags,
            KeepTags = KeepTags,
            Split = Split is { Length: > 0 } split ? OptionParser.ParseSplit(split) : null,
            Cover = CoverRequest(),
            Silence = OptionParser.ParseSilence(TrimSilence, MaxPause, SilenceThreshold, SilenceMin, ("maxPause", "silenceMin")),
        };
        options = WithFormats(options);
        ExtractionPlanner.Validate(options);
        return options;
    }

    /// <summary>The options with defaults filled in, as stored and shown back.</summary>
    public JobOptions Normalized() => this with
    {
        // Several formats are stored as formats alone; one given as formats: ["flac"] is stored as format.
        Format = Formats is { Count: > 1 } ? null : (Format ?? Formats?.FirstOrDefault() ?? "mp3").Trim().ToLowerInvariant(),
        Bitrate = Bitrate is { Length: > 0 } b ? NormalizedBitrate(b) : null,
        Formats = Formats is { Count: > 1 } formats ? [.. FormatSet.Parse(string.Join(',', formats))] : null,
        Package = Package is { Length: > 0 } package ? package.Trim().ToLowerInvariant() : null,
        Normalize = Normalize?.ToLowerInvariant(),
        Language = Language?.ToLowerInvariant(),
        Split = Split is { Length: > 0 } split ? split.Trim().ToLowerInvariant() : null,
        Cover = Cover is { Length: > 0 } cover ? cover.Trim().ToLowerInvariant() : null,
    };
}
