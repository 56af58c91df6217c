using System.Globalization;
using System.Text.RegularExpressions;

namespace Vexaa.Media;

/// <summary>
/// Parses option values typed by people (CLI flags, form fields). Every value is checked against a strict
/// grammar, so nothing a user types can become an extra ffmpeg argument.
/// </summary>
public static partial class OptionParser
{
    /// <summary>"192k", "192K", "192000" or "1.5M" → kbit/s.</summary>
    public static int ParseBitrate(string value)
    {
        var match = BitratePattern().Match(value.Trim());
        if (!match.Success)
        {
            throw MediaException.Invalid($"Bitrate '{value}' is not valid; write it like 192k.");
        }

        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var kbps = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "k" => number,
            "m" => number * 1000,
            _ => number / 1000,
        };
        if (kbps < 1 || kbps > 10_000 || kbps != Math.Floor(kbps))
        {
            throw MediaException.Invalid($"Bitrate '{value}' is not valid; write it like 192k.");
        }

        return (int)kbps;
    }

    /// <summary>"44100", "44.1k" or "48k" → Hz.</summary>
    public static int ParseSampleRate(string value)
    {
        var match = SampleRatePattern().Match(value.Trim());
        if (match.Success)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var hz = match.Groups[2].Success ? number * 1000 : number;
            if (hz >= 1 && hz <= 1_000_000 && hz == Math.Floor(hz))
            {
                return (int)hz;
            }
        }

        throw MediaException.Invalid($"Sample rate '{value}' is not valid; write it like 44100 or 48k.");
    }

    /// <summary>Seconds ("90", "90.5"), "MM:SS" or "HH:MM:SS(.fff)" → a non-negative time.</summary>
    public static TimeSpan ParseTime(string value, string name)
    {
        var parts = value.Trim().Split(':');
        var valid = parts.Length <= 3
            && SecondsPattern().IsMatch(parts[^1])
            && parts[..^1].All(p => WholePattern().IsMatch(p));
        if (valid)
        {
            var seconds = double.Parse(parts[^1], CultureInfo.InvariantCulture);
            var total = parts[..^1].Aggregate(0d, (sum, p) => sum * 60 + int.Parse(p, CultureInfo.InvariantCulture)) * 60 + seconds;
            var fieldsInRange = (parts.Length == 1 || seconds < 60)
                && (parts.Length < 3 || int.Parse(parts[1], CultureInfo.InvariantCulture) < 60);
            if (fieldsInRange && total <= TimeSpan.FromDays(7).TotalSeconds)
            {
                return TimeSpan.FromSeconds(total);
            }
        }

        throw MediaException.Invalid($"{name} '{value}' is not a time; write seconds (90.5), MM:SS or HH:MM:SS.");
    }

    /// <summary>"2G", "500M", "64k" (binary units) or a byte count → bytes.</summary>
    public static long ParseSize(string value, string name)
    {
        var match = SizePattern().Match(value.Trim());
        if (match.Success)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var factor = match.Groups[2].Value.ToUpperInvariant() switch
            {
                "K" => 1L << 10,
                "M" => 1L << 20,
                "G" => 1L << 30,
                "T" => 1L << 40,
                _ => 1L,
            };
            var bytes = number * factor;
            if (bytes >= 1 && bytes <= (1L << 50))
            {
                return (long)bytes;
            }
        }

        throw MediaException.Invalid($"{name} '{value}' is not a size; write it like 500M or 2G.");
    }

    /// <summary>"key=value" → a tag. Keys are letters, digits, '_' and '-'; values are free text on one line.</summary>
    public static KeyValuePair<string, string> ParseTag(string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var key = equals > 0 ? value[..equals].Trim() : "";
        if (!TagKeyPattern().IsMatch(key))
        {
            throw MediaException.Invalid($"Tag '{value}' is not valid; write key=value with a key of letters, digits, '_' or '-'.");
        }

        var text = value[(equals + 1)..];
        if (text.Length > 1024 || text.Any(c => char.IsControl(c) && c != '\t'))
        {
            throw MediaException.Invalid($"Tag '{key}' has a value that is too long or holds control characters.");
        }

        return new(key, text);
    }

    /// <summary>
    /// "chapters" → one file per chapter; "silence" or "silence:SECONDS" → a file per stretch of sound between pauses at
    /// least that long (2 s). Anything else is <see cref="MediaError.UnknownSplitMode"/>.
    /// </summary>
    public static SplitRequest ParseSplit(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        if (text == "chapters")
        {
            return new SplitRequest(SplitMode.Chapters);
        }

        if (text == "silence" || text.StartsWith("silence:", StringComparison.Ordinal))
        {
            return new SplitRequest(SplitMode.Silence, text == "silence" ? null : ParsePause(text["silence:".Length..], "split silence"));
        }

        throw new MediaException(MediaError.UnknownSplitMode, $"Split mode '{value}' is not known; use chapters or silence[:SECONDS].");
    }

    /// <summary>
    /// The silence options from their four values (trim silence, max pause, silence threshold, silence minimum; the names
    /// are how the caller's users write the two lengths, for the messages); null when none is given.
    /// </summary>
    public static SilenceOptions? ParseSilence(bool trim, string? maxPause, string? threshold, string? minLength, (string MaxPause, string Min) names)
    {
        if (!trim && maxPause is not { Length: > 0 } && threshold is not { Length: > 0 } && minLength is not { Length: > 0 })
        {
            return null;
        }

        var defaults = new SilenceOptions();
        return new SilenceOptions
        {
            Trim = trim,
            MaxPause = maxPause is { Length: > 0 } m ? ParsePause(m, names.MaxPause) : null,
            ThresholdDb = threshold is { Length: > 0 } t ? ParseThreshold(t) : defaults.ThresholdDb,
            MinLength = minLength is { Length: > 0 } l ? ParsePause(l, names.Min) : defaults.MinLength,
        };
    }

    /// <summary>A pause length in seconds (or MM:SS), more than 0 and at most an hour.</summary>
    public static TimeSpan ParsePause(string value, string name)
    {
        var pause = ParseTime(value, name);
        return pause > TimeSpan.Zero && pause <= TimeSpan.FromHours(1)
            ? pause
            : throw MediaException.Invalid($"{name} must be a pause of more than 0 seconds and at most an hour, not '{value}'.");
    }

    /// <summary>A silence threshold in dBFS: "-50", "-50dB"; from -100 to -1.</summary>
    public static double ParseThreshold(string value)
    {
        var text = value.Trim();
        if (text.EndsWith("db", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^2].TrimEnd();
        }

        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var db) && db is >= -100 and <= -1
            ? db
            : throw MediaException.Invalid($"The silence threshold must be a level in dBFS from -100 to -1 (e.g. -50 or -50dB), not '{value}'.");
    }

    /// <summary>An ISO 639 language code such as "eng" or "de".</summary>
    public static string ParseLanguage(string value) =>
        LanguagePattern().IsMatch(value.Trim())
            ? value.Trim().ToLowerInvariant()
            : throw MediaException.Invalid($"Language '{value}' is not valid; use an ISO 639 code such as eng or deu.");

    // [0-9], not \d: \d also matches other scripts' digits (Arabic-Indic ٣), which int.Parse then refuses with a FormatException.
    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)([kKmM]?)$")]
    private static partial Regex BitratePattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)([kK])?$")]
    private static partial Regex SampleRatePattern();

    [GeneratedRegex(@"^[0-9]{1,6}(?:\.[0-9]{1,6})?$")]
    private static partial Regex SecondsPattern();

    [GeneratedRegex(@"^[0-9]{1,4}$")]
    private static partial Regex WholePattern();

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtT]?)(?:i?[bB])?$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_\-]{0,63}$")]
    private static partial Regex TagKeyPattern();

    [GeneratedRegex(@"^[A-Za-z]{2,3}$")]
    private static partial Regex LanguagePattern();
}
