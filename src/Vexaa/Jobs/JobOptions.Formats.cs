using System.Globalization;
using Vexaa.Media;

namespace Vexaa.Jobs;

// Several formats in one job (formats, with bitrate/sampleRate as "mp3=128k,opus=96k") and the archival package.
public sealed partial record JobOptions
{
    /// <summary>Several formats from one decode, e.g. ["flac", "mp3"]; one result per format (and track or part).</summary>
    public List<string>? Formats { get; init; }

    /// <summary>"bagit": the results are also packed as a BagIt bag, the job's download.</summary>
    public string? Package { get; init; }

    /// <summary>The one package kind VExAA writes.</summary>
    public const string BagIt = "bagit";

    private ExtractionOptions WithFormats(ExtractionOptions options)
    {
        if (Package is { Length: > 0 } package && !string.Equals(package.Trim(), BagIt, StringComparison.OrdinalIgnoreCase))
        {
            throw MediaException.Invalid($"package '{package}' is not known; use bagit.");
        }

        IReadOnlyList<string>? formats = Formats is { Count: > 0 } list ? FormatSet.Parse(string.Join(',', list)) : null;
        if (formats is not null && Format is { Length: > 0 } single && !(formats.Count == 1 && string.Equals(formats[0], single.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            throw MediaException.Invalid("Give format or formats, not both.");
        }

        var (bitrate, bitrates) = FormatSet.ParseSetting(Bitrate is { Length: > 0 } b ? [b] : [], OptionParser.ParseBitrate, "bitrate");
        var (rate, rates) = FormatSet.ParseSetting(SampleRate is { Length: > 0 } r ? [r] : [], OptionParser.ParseSampleRate, "sampleRate");
        return options with
        {
            Format = formats?[0] ?? options.Format,
            Formats = formats is { Count: > 1 } ? formats : null,
            BitrateKbps = bitrate,
            SampleRate = rate,
            FormatBitrates = bitrates,
            FormatSampleRates = rates,
        };
    }

    // "mp3=128K, 192000" is stored as "mp3=128k,192k", so equal requests compare equal (for reuse of earlier results).
    private static string NormalizedBitrate(string value)
    {
        var (plain, perFormat) = FormatSet.ParseSetting([value], OptionParser.ParseBitrate, "bitrate");
        var parts = perFormat.Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}k").ToList();
        if (plain is { } kbps)
        {
            parts.Insert(0, kbps.ToString(CultureInfo.InvariantCulture) + "k");
        }

        return string.Join(',', parts);
    }
}
