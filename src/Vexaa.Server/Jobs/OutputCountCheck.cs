using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>
/// A job for all tracks of a file with more tracks than Vexaa:Limits:MaxOutputsPerJob is refused when it is submitted
/// (422 too-many-outputs, returned as the answer to send), not after it waited in the queue. Only such jobs pay for the probe here; it is cached for the
/// worker. A file the probe cannot read is left for the worker, which reports why in the job.
/// </summary>
internal static class OutputCountCheck
{
    public static async Task<ProblemHttpResult?> CheckAsync(string inputKey, string sha256, string inputName, IFileStore store, Redis.ProbeCache probes, LimitsOptions limits, DataOptions data,
        CancellationToken cancellationToken)
    {
        var limit = limits.MaxOutputsPerJob;
        var media = await probes.GetAsync(sha256);
        if (media is null)
        {
            var scratch = Directory.CreateDirectory(Path.Combine(Path.GetFullPath(data.DataDirectory), "tmp", "submit-" + Ids.New())).FullName;
            try
            {
                var path = await store.GetLocalCopyAsync(inputKey, scratch, cancellationToken);
                media = await new MediaProber(MediaTools.Locate()).ProbeAsync(path, cancellationToken, inputName);
                await probes.SetAsync(sha256, media);
            }
            catch (MediaException e) when (e.Error != MediaError.ToolNotFound)
            {
                return null;
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return media.AudioTracks.Count > limit
            ? Problems.From(new MediaException(MediaError.TooManyOutputs,
                $"The file has {media.AudioTracks.Count} audio tracks; a job makes at most {limit} files (Vexaa:Limits:MaxOutputsPerJob). Choose a track or a language instead of all tracks."))
            : null;
    }
}
