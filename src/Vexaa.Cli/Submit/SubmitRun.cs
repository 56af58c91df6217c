using System.Net;
using Vexaa.Media;
using Vexaa.Server.Jobs;

namespace Vexaa.Cli.Submit;

/// <summary>One input through a server: choose what to send, upload it (resumably), make the job, follow it, download.</summary>
internal sealed class SubmitRun(ServerApi api, TusUpload tus, SubmitReporter reporter, SubmitSettings settings)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(400);

    public async Task RunAsync(ExtractTarget target, CancellationToken cancellationToken)
    {
        CheckOutputsFree(target);
        using var choice = await UploadChoice.MakeAsync(target, settings.Options, settings.UploadWhole, settings.Tools, api.Server, cancellationToken);
        reporter.Sending(target, choice, new FileInfo(target.Input).Length);
        var resumedSaid = false;
        var uploadId = await tus.RunAsync(choice.Source, new Sink<UploadProgress>(p =>
        {
            if (p.ResumedFrom > 0 && !resumedSaid)
            {
                resumedSaid = true;
                reporter.Resumed(target, p.ResumedFrom, p.Length);
            }

            reporter.Progress(target, "uploading", p.Length == 0 ? 1 : p.Offset / (double)p.Length, p.Offset, p.Length);
        }), cancellationToken);

        // The Idempotency-Key makes a retried request (say, after the answer was lost) return the same job, not a second one.
        var body = JobFields.ToJson(choice.Options, uploadId, target.Format);
        var created = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "api/v1/jobs")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "vexaa-submit-" + uploadId } },
        }, cancellationToken);
        var job = await api.ReadAsync<JobDto>(created, cancellationToken);
        await tus.ForgetAsync(choice.Source, cancellationToken);

        job = await FollowAsync(target, job, cancellationToken);
        var files = await DownloadAsync(target, job, cancellationToken);
        if (target.ChaptersJson is { } chaptersJson)
        {
            var chapters = job.Results[0].Chapters.Select(c => new { start = c.StartSeconds, end = c.EndSeconds, title = c.Title });
            await File.WriteAllTextAsync(chaptersJson, CliOutput.ToJson(chapters) + "\n", cancellationToken);
        }

        reporter.Succeeded(target, job.Id, files);
    }

    private async Task<JobDto> FollowAsync(ExtractTarget target, JobDto job, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Limits.Timeout);
        try
        {
            // The event stream says at once when the job is done; if it cannot be had, the job is polled.
            job = await JobEventsFollower.FollowAsync(api, job, (status, fraction) => reporter.Progress(target, Phase(status), fraction), deadline.Token) ?? job;
            while (!Vexaa.Jobs.JobState.IsFinished(job.Status))
            {
                reporter.Progress(target, Phase(job.Status), job.Progress);
                await Task.Delay(PollEvery, deadline.Token);
                job = await api.ReadAsync<JobDto>(await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{job.Id}"), deadline.Token), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.Timeout, $"the job {job.Id} did not finish within --timeout {settings.Limits.Timeout}; it goes on on the server.");
        }

        return job.Status switch
        {
            "succeeded" => job,
            "canceled" => throw new SubmitFailure(SubmitFailure.JobFailedExit, "canceled", $"the job {job.Id} was canceled on the server."),
            _ => throw SubmitFailure.FromServer(job.Error?.Code, $"the server could not convert it: {job.Error?.Message ?? "no reason given"} (job {job.Id})", SubmitFailure.JobFailedExit),
        };
    }

    private static string Phase(string status) => status == "running" ? "converting" : "queued";

    private async Task<List<SubmittedFile>> DownloadAsync(ExtractTarget target, JobDto job, CancellationToken cancellationToken)
    {
        var paths = job.Results.Select(r => LocalPath(target, job, r)).ToList();
        if (!settings.Overwrite && paths.FirstOrDefault(File.Exists) is { } taken)
        {
            throw new MediaException(MediaError.OutputExists, $"{taken} already exists; pass --overwrite to replace it (the job {job.Id} keeps its results on the server).");
        }

        if (target.PartsFolder is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var files = new List<SubmittedFile>();
        for (var i = 0; i < job.Results.Count; i++)
        {
            var result = job.Results[i];
            var path = paths[i];
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.part");
            try
            {
                using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, result.Url), cancellationToken);
                await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    var buffer = new byte[1 << 16];
                    long done = 0;
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                        done += read;
                        reporter.Progress(target, "downloading", result.Size == 0 ? 1 : done / (double)result.Size, done, result.Size);
                    }

                    if (done != result.Size)
                    {
                        throw SubmitFailure.Unreachable($"the download of {result.FileName} stopped at {done} of {result.Size} bytes.");
                    }
                }

                File.Move(temporary, path, settings.Overwrite);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
            {
                throw new MediaException(MediaError.OutputNotWritable, $"cannot write {path}: {e.Message}");
            }
            finally
            {
                File.Delete(temporary);
            }

            files.Add(new SubmittedFile(path, result.Size, result.Format, result.Codec, result.DurationSeconds));
        }

        return files;
    }

    /// <summary>Where a result goes: named as extract would name it, the server's track or part suffix kept.</summary>
    private static string LocalPath(ExtractTarget target, JobDto job, JobResultDto result)
    {
        var name = Path.GetFileName(result.FileName.Replace('\\', '/'));
        if (target.PartsFolder is { } folder)
        {
            return Path.Combine(folder, name);
        }

        if (job.Results.Count == 1 && target.Extension is { } extension)
        {
            return target.BasePath + extension;
        }

        var stem = Vexaa.Jobs.JobFiles.SafeStem(job.Input.Name);
        return target.BasePath + (name.StartsWith(stem, StringComparison.Ordinal) ? name[stem.Length..] : Path.GetExtension(name));
    }

    /// <summary>An output that exists is refused before anything is uploaded, when its name is known beforehand.</summary>
    private void CheckOutputsFree(ExtractTarget target)
    {
        if (settings.Overwrite || target.PartsFolder is not null || settings.Options.AllTracks)
        {
            return;
        }

        var extension = target.Extension ?? AudioFormats.Find(target.Format)?.Extension;
        if (extension is not null && File.Exists(target.BasePath + extension))
        {
            throw new MediaException(MediaError.OutputExists, $"{target.BasePath + extension} already exists; pass --overwrite to replace it.");
        }
    }

    private sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>What every input of one submit shares.</summary>
internal sealed record SubmitSettings(ExtractionOptions Options, ExtractionLimits Limits, bool Overwrite, bool UploadWhole, MediaTools? Tools);
