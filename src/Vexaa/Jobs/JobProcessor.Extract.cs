using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Media;
using Vexaa.Storage;
using Vexaa.Webhooks;

namespace Vexaa.Jobs;

/// <summary>The work of one attempt: reuse an earlier identical job's results, or probe, plan and run ffmpeg, reporting progress.</summary>
public sealed partial class JobProcessor
{
    private async Task<List<JobResultFile>> ExtractAsync(Job job, JobLease lease, MediaTools tools, string scratch, CancellationToken cancellationToken)
    {
        var jobOptions = job.Options();
        if (jobOptions.IsJoin)
        {
            return await JoinAsync(job, lease, jobOptions, tools, scratch, cancellationToken);
        }

        var extraction = jobOptions.ToExtractionOptions();
        var limits = Limits();
        var recorder = jobOptions.Package is null ? null : new Packaging.CommandLineRecorder(logger);
        var extractor = new AudioExtractor(tools, limits, recorder ?? (ILogger)logger) { Parallelism = await ParallelismAsync(extraction, cancellationToken) };
        var input = await store.GetLocalCopyAsync(job.InputKey ?? throw new MediaException(MediaError.InputNotFound, "The job's input is no longer stored."), scratch, cancellationToken);
        // The picture is fetched as the input is, into the job's own folder: the cover run's sandbox sees this file and nothing
        // else of the data. Only the run is told where it lies; a bag records the options as they were asked for.
        var run = extraction.Cover is { Source: CoverSource.Image } cover
            ? extraction with { Cover = cover with { ImagePath = await store.GetLocalCopyAsync(JobFiles.CoverKey(job.Id), scratch, cancellationToken) } }
            : extraction;

        var media = await probes.GetAsync(job.InputSha256);
        if (media is null)
        {
            media = await extractor.ProbeAsync(input, cancellationToken, job.InputName);
            await probes.SetAsync(job.InputSha256, media);
        }

        await queue.SaveProbeAsync(lease, JobColumns.Write(media), cancellationToken);
        var plan = await extractor.PlanAsync(input, media, run, null, Progress(job, lease), cancellationToken);
        if (plan.Silences.Count > 0)
        {
            // The pauses are the input's, found at this job's threshold: shown with its probe, for a waveform to draw.
            await queue.SaveProbeAsync(lease, JobColumns.Write(media with { Silences = plan.Silences }), cancellationToken);
        }

        var stem = JobFiles.SafeStem(job.InputName);
        var outputDir = Path.Combine(scratch, "out");
        Directory.CreateDirectory(outputDir);
        var outputs = Enumerable.Range(0, plan.FileCount).Select(i => Path.Combine(outputDir, $"{i}{plan.TrackFor(i).Extension}")).ToList();
        var names = OutputNaming.ForPlan(plan, stem, outputDir).Select(n => Path.GetFileName(n)).ToList();

        var result = await extractor.RunAsync(input, media, plan, outputs, overwrite: true, Progress(job, lease), cancellationToken);

        var bag = recorder is null ? null : StageBag(result, names, scratch);
        var files = await StoreResultsAsync(job, lease, result, names, cancellationToken);
        if (bag is not null)
        {
            var contents = new Packaging.BagContents(media, extraction, [.. result.Files.Select((f, i) => new Packaging.BagOutput(names[i], f))]);
            files.Add(await PackageAsync(job, lease, input, bag, result, recorder!, contents, tools, scratch, files.Count, cancellationToken));
        }

        return files;
    }

    private ExtractionLimits Limits() => new()
    {
        MaxInputDuration = TimeSpan.FromSeconds(limitOptions.Value.MaxInputDurationSeconds),
        MaxOutputBytes = limitOptions.Value.MaxOutputBytes,
        MaxOutputs = limitOptions.Value.MaxOutputsPerJob,
        Timeout = TimeSpan.FromSeconds(limitOptions.Value.JobTimeoutSeconds),
    };

    private ThrottledProgress Progress(Job job, JobLease lease) => new(ProgressInterval, time, p =>
    {
        var eta = p.Remaining is { } r ? (long?)r.TotalMilliseconds : null;
        var phase = p.Phase == ExtractionPhase.MeasuringLoudness ? JobPhase.MeasuringLoudness : JobPhase.Encoding;
        events.Publish(new JobEvent(job.Id, job.UserId, JobState.Running, p.Fraction, eta, phase));
        _ = ReportQuietlyAsync(lease, Math.Round(p.Fraction, 4), eta, phase);
    });

    /// <summary>Stores each written file under this attempt's token and describes it as the job's result i.</summary>
    private async Task<List<JobResultFile>> StoreResultsAsync(Job job, JobLease lease, ExtractionResult result, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        // Storing large results in S3 takes a while too; say so rather than sit at 100%.
        events.Publish(new JobEvent(job.Id, job.UserId, JobState.Running, 1, null, JobPhase.Storing));
        await ReportQuietlyAsync(lease, 1, null, JobPhase.Storing);

        var files = new List<JobResultFile>();
        for (var i = 0; i < result.Files.Count; i++)
        {
            var file = result.Files[i];
            var extension = Path.GetExtension(file.Path);
            var key = JobFiles.ResultsPrefix(job.Id, lease.Token) + i + extension;
            var storedObject = await store.PutFileAsync(key, file.Path, cancellationToken);
            files.Add(new JobResultFile(i, key, names[i], JobFiles.ContentType(extension), storedObject.Length, storedObject.ETag, file.Track,
                file.Format, file.Codec, file.Copied, file.BitrateKbps, file.SampleRate, file.Channels, Math.Round(file.Duration.TotalSeconds, 3),
                file.Loudness?.Input.IntegratedLufs is { } inLufs && double.IsFinite(inLufs) ? inLufs : null,
                file.Loudness?.Output?.IntegratedLufs) { Chapters = [.. file.Chapters.Select(JobChapter.From)], Part = file.Part, Title = file.Title, Loudness = JobLoudness.From(file.Loudness) });
        }

        return files;
    }

    /// <summary>
    /// Same owner, same input bytes, same options, results still stored: copy them instead of converting again.
    /// Null when there is nothing to reuse or a copy fails (then the job simply runs).
    /// </summary>
    private async Task<List<JobResultFile>?> ReuseAsync(Job job, JobLease lease, CancellationToken cancellationToken)
    {
        if (await queue.FindReusableAsync(job, cancellationToken) is not { ResultsJson: { } json } earlier)
        {
            return null;
        }

        var copies = new List<JobResultFile>();
        try
        {
            foreach (var result in JobColumns.Results(json))
            {
                await using var source = await store.OpenReadAsync(result.Key, cancellationToken);
                if (source is null)
                {
                    return null;
                }

                var key = JobFiles.ResultsPrefix(job.Id, lease.Token) + result.Index + Path.GetExtension(result.Key);
                var copy = await store.PutAsync(key, source, cancellationToken);
                copies.Add(result with { Key = key, ETag = copy.ETag, Size = copy.Length, FileName = JobFiles.RenameFor(result.FileName, earlier.InputName, job.InputName) });
            }
        }
        catch (IOException e)
        {
            logger.LogInformation(e, "Job {JobId}: the results of {Earlier} could not be reused; converting instead", job.Id, earlier.Id);
            await DeleteQuietlyAsync(() => store.DeletePrefixAsync(JobFiles.ResultsPrefix(job.Id, lease.Token), CancellationToken.None));
            return null;
        }

        if (earlier.ProbeJson is not null)
        {
            await queue.SaveProbeAsync(lease, earlier.ProbeJson, cancellationToken);
        }

        logger.LogInformation("Job {JobId}: reused the results of job {Earlier} (same input and options), ffmpeg not run", job.Id, earlier.Id);
        return copies;
    }

    private async Task ReportQuietlyAsync(JobLease lease, double fraction, long? eta, string phase)
    {
        try
        {
            await queue.ReportProgressAsync(lease, fraction, eta, phase, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Progress is advisory; a missed update is replaced by the next one.
            logger.LogDebug(e, "Progress update for job {JobId} failed", lease.JobId);
        }
    }

    /// <summary>Passes on at most one report per interval, and always the final one.</summary>
    private sealed class ThrottledProgress(TimeSpan interval, TimeProvider time, Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        private long _last = long.MinValue;

        public void Report(ExtractionProgress value)
        {
            var now = time.GetTimestamp();
            var last = Interlocked.Read(ref _last);
            if (value.Fraction < 1 && last != long.MinValue && time.GetElapsedTime(last, now) < interval)
            {
                return;
            }

            Interlocked.Exchange(ref _last, now);
            report(value);
        }
    }
}
