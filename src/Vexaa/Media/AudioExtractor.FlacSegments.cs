using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

// Segment-parallel FLAC: segments cut on the encoder's block grid, encoded at once on idle cores, joined into the
// single pass's bytes (see FlacSplicer): the first segment is the output, the others' frames are appended to it.
public sealed partial class AudioExtractor
{
    private async Task<ExtractedFile?> RunFlacSegmentsAsync(string input, ExtractionPlan plan, IReadOnlyList<EncodeSegment> segments, string temporary, string final,
        (double Offset, double Weight) share, IProgress<ExtractionProgress>? progress, CancellationToken cancellationToken)
    {
        logger?.LogInformation("Encoding {Output} in {Count} segments at once", Path.GetFileName(final), segments.Count);
        var paths = segments.Select((_, k) => k == 0 ? temporary : $"{temporary}.{k}.segment").ToList();
        var md5 = temporary + ".md5";
        try
        {
            // The first segment ends where the second starts, on the block grid.
            var firstSamples = segments[1].InputStart;
            var runs = await RunAllAsync(input, plan, segments, [.. paths, md5], paths, k => k == 0
                    ? FfmpegArguments.FlacFirst(input, plan, firstSamples, temporary, limits.MaxOutputBytes)
                    : FfmpegArguments.FlacSegment(input, plan, segments[k], paths[k], k == segments.Count - 1 ? md5 : null, limits.MaxOutputBytes),
                share, progress, cancellationToken).ConfigureAwait(false);

            // A truncated input shows in the last segment's run, as it would in the single pass.
            ThrowIfShort(runs[^1], plan with { ExpectedDuration = segments[^1].Length });
            var later = segments.Skip(1).Select((s, i) => new FlacSegment(paths[i + 1], s.FirstFrame,
                s.InputEnd is { } end ? end - s.InputStart : null)).ToList();
            if (ReadMd5(md5) is not { } hash || Join(temporary, firstSamples, later, hash) is not { } samples)
            {
                // Not cut where planned (an input shorter than it said, an encoder choosing other blocks): start again whole.
                logger?.LogInformation("The FLAC segments did not meet on the block grid; encoding {Output} in one pass", final);
                DeleteAll(paths);
                return null;
            }

            var size = CheckOutput(temporary, runs[^1], plan, 0, checkShort: false);
            var o = plan.Outputs[0];
            var rate = o.Track.SampleRate;
            return new ExtractedFile(final, o.Track.Index, o.Format, o.OutputCodec, o.Copy, o.BitrateKbps, rate, o.Channels ?? o.Track.Channels,
                TimeSpan.FromSeconds((double)samples / rate), size, null)
            {
                Chapters = Markers(o, plan),
                Segments = segments.Count,
            };
        }
        catch
        {
            DeleteAll(paths);
            throw;
        }
        finally
        {
            DeleteAll([.. paths.Skip(1), md5]);
        }
    }

    private long? Join(string output, long firstSamples, IReadOnlyList<FlacSegment> later, byte[] md5)
    {
        try
        {
            return FlacSplicer.Join(output, firstSamples, later, md5);
        }
        catch (InvalidDataException e)
        {
            logger?.LogWarning(e, "A FLAC segment could not be read back");
            return null;
        }
    }

    /// <summary>The digest ffmpeg's md5 muxer wrote ("MD5=" and 32 hex digits), or null.</summary>
    private static byte[]? ReadMd5(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Trim();
        return text.StartsWith("MD5=", StringComparison.Ordinal) && text.Length == 36 && text[4..].All(char.IsAsciiHexDigit)
            ? Convert.FromHexString(text.AsSpan(4))
            : null;
    }
}
