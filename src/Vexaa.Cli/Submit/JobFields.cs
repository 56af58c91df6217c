using System.Globalization;
using System.Text.Json;
using Vexaa.Media;

namespace Vexaa.Cli.Submit;

/// <summary>The options extract parsed, written back as the API's job fields (<c>POST /api/v1/jobs</c> as JSON).</summary>
internal static class JobFields
{
    public static string ToJson(ExtractionOptions options, string uploadId, string? format)
    {
        var fields = new Dictionary<string, object?>
        {
            ["uploadId"] = uploadId,
            ["format"] = format ?? options.Format,
            ["bitrate"] = options.BitrateKbps is { } kbps ? Whole(kbps) + "k" : null,
            ["quality"] = options.Quality,
            ["sampleRate"] = options.SampleRate is { } rate ? Whole(rate) : null,
            ["channels"] = options.Channels,
            ["track"] = options.Track,
            ["language"] = options.Language,
            ["allTracks"] = options.AllTracks ? true : null,
            ["start"] = options.Start is { } start ? Seconds(start) : null,
            ["end"] = options.End is { } end ? Seconds(end) : null,
            ["normalize"] = options.Normalize?.Name,
            ["tags"] = options.Tags.Count > 0 ? options.Tags : null,
            ["keepTags"] = options.KeepTags ? null : false,
            ["split"] = options.Split switch
            {
                null => null,
                { Mode: SplitMode.Silence, Pause: { } pause } => "silence:" + Seconds(pause),
                var split => split.Mode.ToString().ToLowerInvariant(),
            },
            ["trimSilence"] = options.Silence is { Trim: true } ? true : null,
            ["maxPause"] = options.Silence?.MaxPause is { } maxPause ? Seconds(maxPause) : null,
            ["silenceThreshold"] = options.Silence is { } silence ? silence.ThresholdDb.ToString("0.##", CultureInfo.InvariantCulture) : null,
            ["silenceMin"] = options.Silence is { } s ? Seconds(s.MinLength) : null,
            ["cover"] = options.Cover switch
            {
                null => null,
                { Source: CoverSource.Time, Time: { } at } => Seconds(at),
                { Source: CoverSource.Auto } => "auto",
                _ => null, // a picture goes as coverImage, which implies the cover
            },
            ["coverImage"] = options.Cover is { Source: CoverSource.Image, ImagePath: { } image } ? CoverImage(image) : null,
        };
        return JsonSerializer.Serialize(fields.Where(f => f.Value is not null).ToDictionary(), CliOutput.Json);
    }

    // The server's limit for a picture inside a JSON job (JobSubmission.MaxJsonCoverImageBytes); cover pictures are far smaller.
    internal const int MaxCoverImageBytes = 700 * 1024;

    /// <summary>
    /// The picture in base64, as the job's JSON carries it: the job is made from a tus upload as JSON, which has no room
    /// for a second file. Whether it is really an image is the worker's check, as for a form's part.
    /// </summary>
    private static string CoverImage(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw MediaException.Invalid($"--cover: the picture '{path}' does not exist.");
        }

        if (file.Length > MaxCoverImageBytes)
        {
            throw MediaException.Invalid($"--cover: submit sends a picture of at most {MaxCoverImageBytes / 1024} KiB with the job, and '{file.Name}' is {file.Length / 1024:N0} KiB; make it smaller (it is scaled to at most 600×600 anyway).");
        }

        return Convert.ToBase64String(File.ReadAllBytes(path));
    }

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Seconds to the microsecond: OptionParser reads them back to the same TimeSpan.
    private static string Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 6).ToString("0.######", CultureInfo.InvariantCulture);
}
