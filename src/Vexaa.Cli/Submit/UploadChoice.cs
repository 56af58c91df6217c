using System.Security.Cryptography;
using System.Text;
using Vexaa.Media;

namespace Vexaa.Cli.Submit;

/// <summary>
/// Decides what to send for one input: only its audio, copied out with the local ffmpeg (usually 1–3 % of a video's
/// bytes), when that gives the server the same sound to convert; otherwise the whole file, with the reason.
/// </summary>
/// <param name="Options">The options to send with this upload: one copied track becomes track 0 of the copy.</param>
/// <param name="WholeReason">Why the whole file is sent (null when only the audio is).</param>
/// <param name="Folder">A temporary folder holding the copy, removed once the upload is done.</param>
internal sealed record UploadChoice(UploadSource Source, ExtractionOptions Options, string? WholeReason, string? Folder) : IDisposable
{
    public bool AudioOnly => WholeReason is null;

    public void Dispose()
    {
        if (Folder is not null && Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Probes, plans as the server will, and copies the planned tracks; errors in the plan (no such track, no audio) are the input's.</summary>
    public static async Task<UploadChoice> MakeAsync(
        ExtractTarget target, ExtractionOptions options, bool uploadWhole, MediaTools? tools, Uri server, CancellationToken cancellationToken)
    {
        var input = new FileInfo(target.Input);
        if (!input.Exists)
        {
            throw new MediaException(MediaError.InputNotFound, $"{target.Input} does not exist.");
        }

        var fileName = Path.GetFileName(target.BasePath) + input.Extension;
        UploadChoice Whole(string reason) =>
            new(new UploadSource(input.FullName, input.Length, fileName, Key(server, input, "whole", options), null), options, reason, null);

        if (uploadWhole)
        {
            return Whole("--upload-whole");
        }

        if (tools is null)
        {
            return Whole("ffmpeg is not installed here, so the audio cannot be copied out first");
        }

        if (options.Split is not null)
        {
            // Parts are cut at the video's chapters, which the copy would carry only as its muxer rewrites them.
            return Whole("--split needs the video's chapters exactly as they are");
        }

        if (options.Cover is { Source: not CoverSource.Image })
        {
            return Whole("--cover takes a frame of the video, so the video must go too");
        }

        MediaInfo media;
        try
        {
            media = await new MediaProber(tools).ProbeAsync(input.FullName, cancellationToken);
        }
        catch (MediaException e) when (e.Error is not MediaError.ToolNotFound and not MediaError.Canceled)
        {
            return Whole($"its container could not be read here ({e.Message.TrimEnd('.')}); the server will say what it makes of it");
        }

        if (media.VideoTracks.Count == 0)
        {
            return Whole("it holds no video, so there is nothing to leave out");
        }

        var plan = ExtractionPlanner.Plan(media, options with { Format = target.Format }, target.Extension);
        var tracks = plan.Outputs.Select(o => o.Track).DistinctBy(t => t.StreamIndex).ToList();
        var folder = Directory.CreateTempSubdirectory("vexaa-submit-").FullName;
        try
        {
            var copy = await new AudioTrackCopier(tools).CopyAsync(input.FullName, tracks, folder, cancellationToken);
            var bytes = await File.ReadAllBytesAsync(copy, cancellationToken);
            // One chosen track is the copy's only track: the server must not look for the original's number or language in it.
            var sent = options.AllTracks ? options : options with { Track = null, Language = null };
            var source = new UploadSource(copy, bytes.LongLength, Path.GetFileNameWithoutExtension(fileName) + Path.GetExtension(copy),
                Key(server, input, "audio", options), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            return new UploadChoice(source, sent, null, folder);
        }
        catch (MediaException e) when (e.Error is MediaError.EncodingFailed)
        {
            Directory.Delete(folder, recursive: true);
            return Whole($"the audio could not be copied out here ({e.Message.TrimEnd('.')})");
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    private static string Key(Uri server, FileInfo input, string what, ExtractionOptions options)
    {
        var identity = string.Join('\n', server.ToString(), input.FullName, input.Length, input.LastWriteTimeUtc.Ticks, what, JobFields.ToJson(options, "", null));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..32];
    }
}
