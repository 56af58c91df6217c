using System.Globalization;

namespace Vexaa.Media;

/// <summary>
/// What to do about silence (<c>--trim-silence</c>, <c>--max-pause</c>): a pause is audio below <see cref="ThresholdDb"/>
/// (dBFS) for at least <see cref="MinLength"/>. <c>--split silence</c> uses the same detection.
/// </summary>
public sealed record SilenceOptions
{
    public bool Trim { get; init; }

    /// <summary>Every pause longer than this is shortened to it, cut out of its middle.</summary>
    public TimeSpan? MaxPause { get; init; }

    public double ThresholdDb { get; init; } = -50;
    public TimeSpan MinLength { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The most pauses one input may have detected; past it the job is refused rather than growing without bound.</summary>
    public const int MaxPauses = 20_000;
}

/// <summary>A pause found by the detection pass, on the input's timeline (so a page can draw it on the input's waveform).</summary>
public sealed record Silence(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}

/// <summary>Picks the pauses out of ffmpeg's silencedetect lines ("silence_start: 1.5", "silence_end: 3.2 | silence_duration: 1.7").</summary>
internal sealed class SilenceDetectParser
{
    private readonly List<Silence> _found = [];
    private TimeSpan? _open;

    public bool Overflowed { get; private set; }

    public void Feed(string line)
    {
        if (!line.Contains("[silencedetect", StringComparison.Ordinal))
        {
            return;
        }

        if (Value(line, "silence_start: ") is { } start)
        {
            _open = start < TimeSpan.Zero ? TimeSpan.Zero : start;
        }
        else if (Value(line, "silence_end: ") is { } end && _open is { } open)
        {
            Add(new Silence(open, end));
            _open = null;
        }
    }

    /// <summary>The pauses, on the detection run's timeline; one still open at the end runs to <paramref name="end"/>.</summary>
    public IReadOnlyList<Silence> Finish(TimeSpan end)
    {
        if (_open is { } open && end > open)
        {
            Add(new Silence(open, end));
        }

        _open = null;
        return _found;
    }

    private void Add(Silence silence)
    {
        lock (_found)
        {
            if (_found.Count >= SilenceOptions.MaxPauses)
            {
                Overflowed = true;
                return;
            }

            _found.Add(silence);
        }
    }

    private static TimeSpan? Value(string line, string key)
    {
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var text = line[(at + key.Length)..].Split(' ', 2)[0];
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds) : null;
    }
}
