namespace Vexaa.Media;

/// <summary>
/// Several output formats from one decode (<c>--format flac,mp3</c>, API <c>formats</c>), and settings that apply to one
/// of them (<c>--bitrate mp3=128k</c>). ffmpeg decodes each input stream once and hands the samples to every encoder
/// mapped from it, so N formats cost N encodes but one read and one decode.
/// </summary>
public static class FormatSet
{
    /// <summary>"flac,mp3" → ["flac", "mp3"]: known formats, no repeats, no two writing the same extension, no "original".</summary>
    public static IReadOnlyList<string> Parse(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0)
        {
            throw MediaException.Invalid($"No format given; choose one or more (separated by commas) of {string.Join(", ", AudioFormats.Names)}.");
        }

        if (names.Count == 1)
        {
            return names;
        }

        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (string.Equals(name, "original", StringComparison.Ordinal))
            {
                throw MediaException.Invalid("Format 'original' cannot be combined with other formats (its extension depends on the source); write it in a job of its own.");
            }

            var format = AudioFormats.Find(name)
                ?? throw MediaException.Invalid($"Unknown format '{name}'; choose one or more of {string.Join(", ", AudioFormats.Names)}.");
            if (extensions.TryGetValue(format.Extension, out var other))
            {
                throw MediaException.Invalid(string.Equals(other, name, StringComparison.Ordinal)
                    ? $"Format '{name}' is listed twice."
                    : $"Formats '{other}' and '{name}' both write {format.Extension} files, and outputs are named by extension; choose one of them.");
            }

            extensions[format.Extension] = name;
        }

        return names;
    }

    /// <summary>
    /// "128k", "mp3=128k" or "mp3=128k,opus=96k" (a plain value applies to every format, a named one to that format) →
    /// the plain value and the per-format ones, each read by <paramref name="parse"/>.
    /// </summary>
    public static (int? Plain, Dictionary<string, int> PerFormat) ParseSetting(IEnumerable<string> values, Func<string, int> parse, string name)
    {
        int? plain = null;
        var perFormat = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                plain = plain is null ? parse(entry) : throw MediaException.Invalid($"{name} was given twice without a format; write FORMAT=VALUE for each format.");
                continue;
            }

            var format = entry[..equals].Trim().ToLowerInvariant();
            if (AudioFormats.Find(format) is null)
            {
                throw MediaException.Invalid($"{name} '{entry}' names the unknown format '{format}'; write FORMAT=VALUE with one of {string.Join(", ", AudioFormats.All.Select(f => f.Name))}.");
            }

            if (!perFormat.TryAdd(format, parse(entry[(equals + 1)..])))
            {
                throw MediaException.Invalid($"{name} for {format} was given twice.");
            }
        }

        return (plain, perFormat);
    }

    /// <summary>Checks that every per-format setting names a format being written.</summary>
    public static void CheckSettingsMatch(ExtractionOptions options)
    {
        var formats = options.AllFormats;
        foreach (var (setting, keys) in new[] { ("bitrate", options.FormatBitrates.Keys), ("sample rate", options.FormatSampleRates.Keys) })
        {
            if (keys.FirstOrDefault(k => !formats.Contains(k, StringComparer.Ordinal)) is { } stray)
            {
                throw MediaException.Invalid($"A {setting} is given for {stray}, which is not among the formats written ({string.Join(", ", formats)}).");
            }
        }
    }

    /// <summary>Validates each format with its own settings; a refusal says which format it is about.</summary>
    internal static void ValidateEach(ExtractionOptions options, Action<ExtractionOptions> validate)
    {
        CheckSettingsMatch(options);
        foreach (var format in options.AllFormats)
        {
            try
            {
                validate(options.ForFormat(format));
            }
            catch (MediaException e) when (e.Error == MediaError.InvalidOption && options.AllFormats.Count > 1)
            {
                throw MediaException.Invalid($"{e.Message} (With several formats, give a setting for one of them as FORMAT=VALUE, e.g. --bitrate mp3=128k.)");
            }
        }
    }
}
