using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>
/// A job that would encode more files at once (tracks × formats) than Vexaa:Limits:MaxOutputsPerJob is refused when it is
/// submitted (422 too-many-outputs, returned as the answer to send), not after it waited in the queue. Only jobs whose
/// count depends on the input (all tracks) pay for the probe here; it is cached for the worker. A file the probe cannot read, or a plan that
/// fails, is left for the worker, which reports why in the job.
/// </summary>
internal static class OutputCountCheck
{
    public static async Task<ProblemHttpResult?> CheckAsync(string inputKey, string sha256, string inputName, IFileStore store, Redis.ProbeCache probes, LimitsOptions limits, DataOptions data,
        ExtractionOptions extraction, CancellationToken cancellationToken)
    {
        var limit = limits.MaxOutputsPerJob;
        var formats = extraction.AllFormats.Count;
        if (formats > limit)
        {
            return Problems.From(new MediaException(MediaError.TooManyOutputs,
                $"{formats} formats would make at least {formats} files; a job makes at most {limit} (Vexaa:Limits:MaxOutputsPerJob)."));
        }

        if (!extraction.AllTracks)
        {
            return null;
        }

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

        ExtractionPlan plan;
        try
        {
            plan = ExtractionPlanner.Plan(media, extraction);
        }
        catch (MediaException)
        {
            return null;
        }

        return plan.Outputs.Count > limit
            ? Problems.From(new MediaException(MediaError.TooManyOutputs, OutputCount.TooMany(plan, limit, "Vexaa:Limits:MaxOutputsPerJob")))
            : null;
    }
}
