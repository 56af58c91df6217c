using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// Makes the one square JPEG every output of a run embeds, by sandboxed ffmpeg runs of its own before the extraction:
/// from a frame at a time, from a representative frame (eight keyframes sampled from 10 % to 50 % of the duration, the
/// black ones dropped, the thumbnail filter choosing among the rest: deterministic, and one keyframe's decode per sample
/// however long the video), or from a JPEG/PNG checked by ffprobe. Every cover is decoded and encoded anew, so nothing of
/// a hostile file's bytes reaches an output.
/// </summary>
internal sealed class CoverMaker(MediaTools tools, ILogger? logger)
{
    private const int Samples = 8;

    // Mean luma (full range, 0–255) under which a frame counts as black: blackframe's own pixel threshold.
    private const double BlackLuma = 32;

    // Pictures larger than this on a side are refused before anything decodes them (a 64-megapixel PNG is not a cover).
    private const int MaxImageSide = 8192;

    // Best first; a busy picture that comes out over CoverArt.MaxJpegBytes is encoded again at the next.
    private static readonly int[] Qualities = [2, 4, 7, 11, 16, 23, 31];

    /// <summary>Makes the cover in <paramref name="folder"/> (a private folder the extraction run can read).</summary>
    public async Task<CoverArt> MakeAsync(string input, MediaInfo media, CoverRequest request, string folder, CancellationToken cancellationToken)
    {
        var target = Path.Combine(folder, "cover.jpg");
        var made = request.Source switch
        {
            CoverSource.Image => await FromImageAsync(request.ImagePath!, folder, target, cancellationToken).ConfigureAwait(false),
            CoverSource.Time => await EncodeAsync(q => FfmpegArguments.CoverFrame(input, Video(media), request.Time!.Value, false, target, q, false),
                new([input], [folder]), target, cancellationToken).ConfigureAwait(false)
                ? true
                : throw new MediaException(MediaError.CoverTimePastEnd,
                    $"The video has no frame at {ExtractionPlanner.Timestamp(request.Time!.Value)} for the cover (it ends before); choose an earlier time."),
            _ => await AutoAsync(input, media, folder, target, cancellationToken).ConfigureAwait(false),
        };
        var jpeg = await File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false);
        return made && JpegSide(jpeg) is { } side
            ? new CoverArt(target, jpeg, side)
            : throw new MediaException(MediaError.EncodingFailed, "ffmpeg made a cover that is not a square JPEG.");
    }

    private static int Video(MediaInfo media) => CoverPlanner.VideoFor(media)?.StreamIndex
        ?? throw new MediaException(MediaError.NoVideoForCover, "The input has no video to take a cover from; give --cover a JPEG or PNG image instead.");

    private async Task<bool> AutoAsync(string input, MediaInfo media, string folder, string target, CancellationToken cancellationToken)
    {
        var stream = Video(media);
        var duration = media.Duration ?? TimeSpan.Zero;
        var candidates = new List<(string Path, double Luma)>();
        for (var i = 0; i < Samples; i++)
        {
            var at = duration * (0.1 + (0.4 * i / (Samples - 1)));
            var path = Path.Combine(folder, $"sample{i}.jpg");
            double? luma = null;
            await RunAsync(FfmpegArguments.CoverFrame(input, stream, at, true, path, 2, true), new([input], [folder]), line => luma ??= Luma(line), cancellationToken)
                .ConfigureAwait(false);
            if (new FileInfo(path) is { Exists: true, Length: > 0 })
            {
                candidates.Add((path, luma ?? 0));
            }
        }

        if (candidates.Count == 0)
        {
            throw new MediaException(MediaError.NoVideoForCover, "The video has no frame to take a cover from; give --cover a time or an image.");
        }

        // All dark (a night scene, a radio show's black video): the brightest is the best there is.
        var kept = candidates.Where(c => c.Luma >= BlackLuma).ToList() is { Count: > 0 } lit ? lit : [candidates.MaxBy(c => c.Luma)];
        var joined = Path.Combine(folder, "samples.mjpeg");
        await using (var output = File.Create(joined))
        {
            foreach (var (path, _) in kept)
            {
                await output.WriteAsync(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }

        return await EncodeAsync(q => FfmpegArguments.CoverChoice(joined, kept.Count, target, q), new([], [folder]), target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> FromImageAsync(string image, string folder, string target, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(image);
        var file = new FileInfo(image);
        if (!file.Exists)
        {
            throw new MediaException(MediaError.InputNotFound, $"The cover image '{name}' does not exist.");
        }

        var notAnImage = new MediaException(MediaError.CoverNotAnImage, $"The cover '{name}' is not a JPEG or PNG image.");
        if (file.Length == 0)
        {
            throw notAnImage;
        }

        var probe = await ToolRunner.RunAsync(tools.Ffprobe, FfmpegArguments.ProbeImage(image), SandboxView.Reading(image), tools.Sandbox, null, null, cancellationToken)
            .ConfigureAwait(false);
        var demuxer = probe.ExitCode == 0 ? CheckedImage(probe.Stdout, name) : throw LimitFailure.Classify(probe.ExitCode, probe.StderrTail, tools.Sandbox.Limits) ?? notAnImage;
        try
        {
            return await EncodeAsync(q => FfmpegArguments.CoverFromImage(image, demuxer, target, q), new([image], [folder]), target, cancellationToken).ConfigureAwait(false)
                ? true
                : throw notAnImage;
        }
        catch (MediaException e) when (e.Error == MediaError.EncodingFailed)
        {
            // It looked like an image to ffprobe but does not decode: damaged, or made to pass the probe.
            throw new MediaException(MediaError.CoverNotAnImage, $"The cover '{name}' is not a JPEG or PNG image that can be decoded.", e.ToolOutput);
        }
    }

    /// <summary>The demuxer to read a probed image with: one JPEG or PNG picture of a bounded size, or a refusal.</summary>
    internal static string CheckedImage(string probeJson, string name)
    {
        using var document = JsonDocument.Parse(probeJson);
        var root = document.RootElement;
        var format = root.TryGetProperty("format", out var f) && f.TryGetProperty("format_name", out var n) ? n.GetString() : null;
        var streams = root.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var codec = streams is [var only] && only.TryGetProperty("codec_name", out var c) ? c.GetString() : null;
        if (format is not ("jpeg_pipe" or "png_pipe" or "image2") || codec is not ("mjpeg" or "png"))
        {
            throw new MediaException(MediaError.CoverNotAnImage, $"The cover '{name}' is not a JPEG or PNG image.");
        }

        var width = streams[0].TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = streams[0].TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (width == 0 || height == 0)
        {
            // ffprobe names a .png by its extension and finds no picture in it: text or garbage with an image's name.
            throw new MediaException(MediaError.CoverNotAnImage, $"The cover '{name}' is not a JPEG or PNG image.");
        }

        if (width < 2 || height < 2 || width > MaxImageSide || height > MaxImageSide)
        {
            throw new MediaException(MediaError.CoverNotAnImage, $"The cover '{name}' is {width}×{height} pixels; a cover must be 2 to {MaxImageSide} pixels on each side.");
        }

        return codec == "png" ? "png_pipe" : "jpeg_pipe";
    }

    /// <summary>Encodes at the best quality that fits <see cref="CoverArt.MaxJpegBytes"/>; false when ffmpeg wrote no picture.</summary>
    private async Task<bool> EncodeAsync(Func<int, List<string>> arguments, SandboxView view, string target, CancellationToken cancellationToken)
    {
        foreach (var quality in Qualities)
        {
            File.Delete(target);
            await RunAsync(arguments(quality), view, null, cancellationToken).ConfigureAwait(false);
            var file = new FileInfo(target);
            if (!file.Exists || file.Length == 0)
            {
                return false;
            }

            if (file.Length <= CoverArt.MaxJpegBytes)
            {
                return true;
            }
        }

        throw new MediaException(MediaError.EncodingFailed, $"The cover stays larger than {CoverArt.MaxJpegBytes:N0} bytes even at the lowest JPEG quality.");
    }

    private async Task RunAsync(List<string> arguments, SandboxView view, Action<string>? onStderrLine, CancellationToken cancellationToken)
    {
        logger?.LogDebug("Running {CommandLine}", ToolRunner.CommandLine(tools.Ffmpeg, arguments));
        var result = await ToolRunner.RunAsync(tools.Ffmpeg, arguments, view, tools.Sandbox, null, onStderrLine, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var last = result.StderrTail.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "no details";
            throw LimitFailure.Classify(result.ExitCode, result.StderrTail, tools.Sandbox.Limits)
                ?? new MediaException(MediaError.EncodingFailed, $"The cover could not be made (ffmpeg exit code {result.ExitCode}: {last}).", result.StderrTail);
        }
    }

    private static double? Luma(string line)
    {
        const string key = "lavfi.signalstats.YAVG=";
        var at = line.IndexOf(key, StringComparison.Ordinal);
        return at >= 0 && double.TryParse(line[(at + key.Length)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The side of a square baseline or progressive JPEG, read from its start-of-frame marker; null when it is not square.</summary>
    internal static int? JpegSide(byte[] jpeg)
    {
        var at = 2;
        while (jpeg.Length >= 4 && jpeg[0] == 0xFF && jpeg[1] == 0xD8 && at + 9 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                var height = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 5));
                var width = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 7));
                return width == height && width > 0 ? width : null;
            }

            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
        }

        return null;
    }
}
