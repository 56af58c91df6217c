namespace Vexaa.Media;

/// <summary>
/// What the user asked for. Values are already parsed (see <see cref="OptionParser"/>) but not yet checked against
/// the chosen format or the input; <see cref="ExtractionPlanner"/> does that.
/// </summary>
public sealed partial record ExtractionOptions
{
    /// <summary>A name from <see cref="AudioFormats.Names"/>; null means "from the output file name".</summary>
    public string? Format { get; init; }
    public int? BitrateKbps { get; init; }
    public double? Quality { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }

    /// <summary>Audio track number as listed by probe (0 = first audio track).</summary>
    public int? Track { get; init; }
    public string? Language { get; init; }
    public bool AllTracks { get; init; }
    public TimeSpan? Start { get; init; }
    public TimeSpan? End { get; init; }
    public LoudnessTarget? Normalize { get; init; }

    /// <summary>Tags to set on the output; they override the input's tags of the same name.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Cut the output into several files (<c>--split</c>); null writes one file per track.</summary>
    public SplitRequest? Split { get; init; }

    /// <summary>Trim silence or shorten pauses (<c>--trim-silence</c>, <c>--max-pause</c>); null leaves the audio's timing alone.</summary>
    public SilenceOptions? Silence { get; init; }

    /// <summary>Copy the input's tags and chapters to the output (the default).</summary>
    public bool KeepTags { get; init; } = true;
}

/// <summary>Limits that protect a machine from hostile or runaway inputs.</summary>
public sealed record ExtractionLimits
{
    public TimeSpan MaxInputDuration { get; init; } = TimeSpan.FromHours(24);
    /// <summary>The most bytes all outputs of one extraction may take together.</summary>
    public long MaxOutputBytes { get; init; } = 16L * 1024 * 1024 * 1024;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromHours(6);

    /// <summary>At most this many output files (tracks) per extraction.</summary>
    public int MaxOutputs { get; init; } = int.MaxValue;

    /// <summary>At most this many inputs joined into one output (<c>vexaa join</c>); each is decoded in the same run.</summary>
    public int MaxInputs { get; init; } = 100;
}
