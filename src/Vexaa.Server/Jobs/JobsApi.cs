using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using Vexaa.Jobs;
using Vexaa.Server.Auth;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>The jobs API. Every lookup is by (user, id): another user's job answers exactly as a missing one does.</summary>
public static class JobsApi
{
    public static RouteGroupBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/jobs").WithTags("Jobs");
        group.MapPost("/", JobSubmission.SubmitAsync)
            .WithSummary("Create a job: multipart/form-data with a 'file' part and option fields, or JSON with an 'uploadId' from /api/v1/uploads.")
            .WithDescription("With the header 'Prefer: wait=N' (at most 60 s) the answer waits for the job: 303 See Other to its result once it has succeeded, "
                + "its error as a problem (422, with 'jobId') once it has failed, or 202 as without the header when the time is up.")
            .Produces<JobDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429)
            .DisableAntiforgery();
        group.MapGet("/", ListAsync).WithSummary("The caller's jobs, newest first.");
        group.MapGet("/events", JobFeedStream.Stream)
            .WithSummary("Server-Sent Events for all of the caller's jobs: 'state' (the whole job) when one appears or changes state, 'progress' (with its id) while one runs, 'deleted', 'ping'.");
        group.MapGet("/archive", JobArchive.DownloadAsync)
            .WithSummary($"Download the results of several succeeded jobs as one zip: ids=a,b,c (1 to {JobArchive.MaxJobs}).")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id}", GetAsync).WithSummary("A job's status, progress, input, options, error and results.");
        group.MapGet("/{id}/events", JobEventStream.StreamAsync).WithSummary("Server-Sent Events: the job's state and progress as they change.");
        group.MapMethods("/{id}/result", ["GET", "HEAD"], (string id, HttpContext context, UserJobs userJobs, IFileStore store) => DownloadAsync(id, 0, context, userJobs, store))
            .WithSummary("Download the (first) result file. Supports Range and ETag (or redirects to the object store when it is set up to).");
        group.MapMethods("/{id}/results/{index:int}", ["GET", "HEAD"], (string id, int index, HttpContext context, UserJobs userJobs, IFileStore store) => DownloadAsync(id, index, context, userJobs, store))
            .WithSummary("Download result file number 'index' (jobs with all tracks make several).");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Cancel a queued or running job (ffmpeg is stopped), or delete a finished one; its files are deleted.");
        group.MapPost("/{id}/retry", RetryAsync).WithSummary("Run a failed job again.");
        return group;
    }

    private static async Task<Results<Ok<JobDto>, ProblemHttpResult>> GetAsync(string id, HttpContext context, UserJobs userJobs) =>
        await userJobs.GetAsync(context.User.UserId(), id, context.RequestAborted) is { } job
            ? TypedResults.Ok(JobDto.From(job, job.State == JobState.Queued ? (await userJobs.QueuePositionsAsync(job.UserId, context.RequestAborted)).GetValueOrDefault(job.Id) : null))
            : Problems.NotFound();

    private static async Task<Results<Ok<JobListDto>, ProblemHttpResult>> ListAsync(HttpContext context, UserJobs userJobs, string? status, int? limit, string? cursor)
    {
        if (status is not null && !JobState.All.Contains(status))
        {
            return Problems.Of(400, "invalid-request", $"status must be one of {string.Join(", ", JobState.All)}.");
        }

        if (limit is < 1 or > 100)
        {
            return Problems.Of(400, "invalid-request", "limit must be between 1 and 100.");
        }

        (long, string)? before = null;
        if (cursor is not null)
        {
            if (DecodeCursor(cursor) is not { } decoded)
            {
                return Problems.Of(400, "invalid-request", "cursor is not one this API gave out.");
            }

            before = decoded;
        }

        var take = limit ?? 20;
        var jobs = await userJobs.ListAsync(context.User.UserId(), status, before, take + 1, context.RequestAborted);
        var page = jobs.Take(take).ToList();
        var next = jobs.Count > take ? EncodeCursor(page[^1]) : null;
        var positions = page.Any(j => j.State == JobState.Queued) ? await userJobs.QueuePositionsAsync(context.User.UserId(), context.RequestAborted) : null;
        return TypedResults.Ok(new JobListDto([.. page.Select(j => JobDto.From(j, positions?.GetValueOrDefault(j.Id)))], next));
    }

    private static async Task<IResult> DownloadAsync(string id, int index, HttpContext context, UserJobs userJobs, IFileStore store)
    {
        var job = await userJobs.GetAsync(context.User.UserId(), id, context.RequestAborted);
        if (job is null)
        {
            return Problems.NotFound();
        }

        if (job.State != JobState.Succeeded || job.ResultsJson is null)
        {
            return Problems.Of(409, "not-finished", $"The job is {job.State}; results exist once it has succeeded.");
        }

        var results = job.Results();
        if (index < 0 || index >= results.Count)
        {
            return Problems.Of(404, "not-found", $"The job has {results.Count} result file(s), numbered from 0.");
        }

        var result = results[index] with { FileName = JobFiles.SafeFileName(results[index].FileName) };
        if (await store.GetDownloadUrlAsync(result.Key, result.FileName, result.ContentType, context.RequestAborted) is { } url)
        {
            if (await store.StatAsync(result.Key, context.RequestAborted) is null)
            {
                return Problems.Of(410, "expired", "The result file is no longer stored.");
            }

            // The address expires within minutes: nothing may cache the redirect.
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Redirect(url.OriginalString);
        }

        var stream = await store.OpenReadAsync(result.Key, context.RequestAborted);
        if (stream is null)
        {
            return Problems.Of(410, "expired", "The result file is no longer stored.");
        }

        // RFC 9110 §14.2: a Range in a unit the server does not know is ignored, and the whole file is sent (200).
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            context.Request.Headers.Remove("Range");
        }

        return TypedResults.Stream(stream, result.ContentType, result.FileName, UnixTime.FromMs(job.FinishedAt ?? job.UpdatedAt),
            EntityTagHeaderValue.Parse(result.ETag), enableRangeProcessing: stream.CanSeek);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext context, UserJobs userJobs, IFileStore store, JobCancellations cancellations, JobEvents events)
    {
        var userId = context.User.UserId();
        if (await userJobs.CancelAsync(userId, id, context.RequestAborted) is { } canceled)
        {
            cancellations.Cancel(id);
            events.Publish(new JobEvent(id, userId, JobState.Canceled, canceled.Progress, null));
            await store.DeletePrefixAsync(JobFiles.Prefix(id), context.RequestAborted);
            return TypedResults.NoContent();
        }

        if (await userJobs.DeleteFinishedAsync(userId, id, context.RequestAborted))
        {
            events.Publish(new JobEvent(id, userId, JobEvents.Deleted, 0, null));
            await store.DeletePrefixAsync(JobFiles.Prefix(id), context.RequestAborted);
            return TypedResults.NoContent();
        }

        return Problems.NotFound();
    }

    private static async Task<Results<Accepted<JobDto>, ProblemHttpResult>> RetryAsync(string id, HttpContext context, UserJobs userJobs, JobEvents events)
    {
        var userId = context.User.UserId();
        var job = await userJobs.GetAsync(userId, id, context.RequestAborted);
        if (job is null)
        {
            return Problems.NotFound();
        }

        if (!await userJobs.RetryAsync(userId, id, context.RequestAborted))
        {
            return job.State == JobState.Failed
                ? Problems.Of(409, "input-expired", "The job's input is no longer stored, so it cannot run again; upload the file again.")
                : Problems.Of(409, "not-failed", $"Only failed jobs can be retried; this one is {job.State}.");
        }

        events.JobQueued();
        var queued = await userJobs.GetAsync(userId, id, context.RequestAborted);
        return TypedResults.Accepted($"/api/v1/jobs/{id}", JobDto.From(queued!));
    }

    private static string EncodeCursor(Job job) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{job.CreatedAt.ToString(CultureInfo.InvariantCulture)}.{job.Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long, string)? DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('.');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at) && Ids.IsValid(parts[1]) ? (at, parts[1]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
