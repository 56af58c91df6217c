using System.Text.Json;
using Microsoft.Extensions.Options;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Server.Auth;
using Vexaa.Storage;
using Vexaa.Uploads;

namespace Vexaa.Server.Jobs;

/// <summary>
/// POST /api/v1/jobs: a multipart form whose <c>file</c> part streams straight to storage (hashed on the way, never held
/// in memory), or JSON naming a finished resumable upload. Either way the options are checked before the job exists.
/// </summary>
internal static partial class JobSubmission
{
    public static async Task<Results<Accepted<JobDto>, SeeOther, ProblemHttpResult>> SubmitAsync(
        HttpContext context, JobQueue queue, UserJobs userJobs, UploadStore uploads, IFileStore store, JobEvents events, IOptions<LimitsOptions> limits, IOptions<WorkersOptions> workers, TimeProvider time,
        Vexaa.Metrics.VexaaMetrics metrics, Vexaa.Redis.ProbeCache probes, IOptions<Vexaa.Data.DataOptions> data, IOptions<EventsOptions> eventOptions)
    {
        using var receiving = metrics.UploadStarted();
        var cancellationToken = context.RequestAborted;
        var settings = limits.Value;
        var userId = context.User.UserId();
        var idempotencyKey = context.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > 0)
        {
            if (idempotencyKey.Length > 200 || idempotencyKey.Any(c => c < 0x21 || c > 0x7e))
            {
                return Problems.Of(400, "invalid-request", "Idempotency-Key must be 1 to 200 visible ASCII characters.");
            }

            if (await userJobs.FindByIdempotencyKeyAsync(userId, idempotencyKey, cancellationToken) is { } existing)
            {
                return Replayed(context, existing);
            }
        }

        var (active, stored) = await userJobs.UsageAsync(userId, cancellationToken);
        if (active >= settings.MaxActiveJobsPerUser)
        {
            context.Response.Headers.RetryAfter = "30";
            return Problems.Of(429, "too-many-active-jobs", $"You have {active} jobs queued or running, the most allowed; wait for some to finish.");
        }

        var declared = context.Request.ContentLength ?? 0;
        var mediaType = context.Request.ContentType ?? "";
        var isForm = mediaType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        // A form's boundaries and fields are not the upload: the file part alone is held to the limit, as it streams.
        if (declared > settings.MaxUploadBytes + (isForm ? FormEnvelopeBytes : 0))
        {
            return TooLarge(settings);
        }

        var inFlight = await uploads.InFlightBytesAsync(userId, cancellationToken);
        if (stored + inFlight + declared > settings.QuotaBytesPerUser)
        {
            return Problems.Of(403, "quota-exceeded",
                $"This upload would take your stored files past your {settings.QuotaBytesPerUser:N0}-byte quota ({stored + inFlight:N0} bytes in use); delete finished jobs to make room.");
        }

        var jobId = Ids.New();
        var enqueued = false;
        try
        {
            var isJson = mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
            var outcome = isForm ? await ReadFormAsync(context, jobId, store, settings, cancellationToken)
                : isJson ? await ReadUploadReferenceAsync(context, userId, jobId, uploads, store, (userJobs, stored + inFlight, settings.QuotaBytesPerUser), settings.MaxInputsPerJob, cancellationToken)
                : Problems.Of(415, "unsupported-media-type", "Send multipart/form-data with a 'file' part, or JSON with an 'uploadId'.");
            if (outcome.Value is not { } received)
            {
                await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
                return outcome.Problem!;
            }

            var request = received.Request;
            request.Options.CheckInputs(1 + received.Parts.Count, request.Extraction, settings.MaxInputsPerJob);
            // A join writes one file per format; a single input's file count depends on its tracks and chapters.
            var tooMany = received.Parts.Count > 0 ? null : await OutputCountCheck.CheckAsync(JobFiles.InputKey(jobId), received.Sha256, received.Name, store, probes, settings, data.Value, request.Extraction, cancellationToken);
            if (tooMany is not null)
            {
                await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
                return tooMany;
            }

            var now = time.NowMs();
            var job = new Job
            {
                Id = jobId,
                UserId = userId,
                State = JobState.Queued,
                OptionsJson = JobColumns.Write(request.Options.Normalized() with { JoinParts = received.Parts.Count > 0 ? [.. received.Parts] : null }),
                InputKey = JobFiles.InputKey(jobId),
                InputName = received.Name,
                // Every input counts against the quota, and is deleted with the first.
                InputSize = received.Size + received.Parts.Sum(p => p.Size),
                InputSha256 = received.Sha256,
                MaxAttempts = workers.Value.MaxAttempts,
                RunAfter = now,
                WebhookUrl = request.WebhookUrl,
                IdempotencyKey = idempotencyKey.Length > 0 ? idempotencyKey : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
            try
            {
                await queue.EnqueueAsync(job, cancellationToken);
            }
            catch (System.Data.Common.DbException) when (job.IdempotencyKey is not null)
            {
                // The same request arrived twice at once; the other copy made the job.
                var raced = await userJobs.FindByIdempotencyKeyAsync(userId, job.IdempotencyKey, CancellationToken.None);
                if (raced is null)
                {
                    throw;
                }

                await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
                return Replayed(context, raced);
            }

            enqueued = true;
            events.JobQueued();
            if (PreferWait.Requested(context.Request) is not { } wait)
            {
                return TypedResults.Accepted($"/api/v1/jobs/{jobId}", JobDto.From(job));
            }

            // The upload is no longer counted as arriving while the answer waits for the job.
            receiving.Dispose();
            var finished = await PreferWait.UntilFinishedAsync(job, wait, userJobs, events, time, TimeSpan.FromSeconds(eventOptions.Value.PollSeconds), cancellationToken);
            return PreferWait.Answer(context, finished, wait);
        }
        catch (Exception e) when (e is MediaException or UploadTooLargeException or BadHttpRequestException or JsonException or InvalidDataException
                                      || (e is IOException && cancellationToken.IsCancellationRequested))
        {
            // What the client's bytes broke: a field of the wrong shape, a body that is not JSON or not a form, an upload past
            // the limit, or a connection that went away. Nothing it sent is kept.
            await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
            return e switch
            {
                MediaException m => Problems.From(m),
                UploadTooLargeException or BadHttpRequestException { StatusCode: 413 } => TooLarge(settings),
                BadHttpRequestException b => Problems.Of(b.StatusCode, Problems.CodeFor(b.StatusCode), b.Message),
                JsonException => Problems.Of(400, "invalid-request", "The body is not valid JSON."),
                InvalidDataException d => Problems.Of(400, "malformed-multipart", $"The form could not be read: {d.Message}"),
                _ => Problems.Of(400, "invalid-request", "The upload was interrupted."),
            };
        }
        catch (Exception e) when (!enqueued && DiskFull.Is(e))
        {
            await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
            return InsufficientStorage.Answer(context);
        }
        catch (Exception) when (!enqueued)
        {
            // Stored, but the job was never recorded (say, the database was restarting): remove what was stored, and let
            // the error reach the client, who retries with its Idempotency-Key.
            await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
            throw;
        }
    }

    private static ProblemHttpResult TooLarge(LimitsOptions settings) =>
        Problems.Of(413, "payload-too-large", $"Uploads may be at most {settings.MaxUploadBytes:N0} bytes.",
            new Dictionary<string, object?> { ["maxBytes"] = settings.MaxUploadBytes });

    private static Accepted<JobDto> Replayed(HttpContext context, Job job)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobDto.From(job));
    }

    /// <summary>The job's input, stored under its key, and the request it came with, checked.</summary>
    /// <remarks><see cref="Size"/> is the first input's; a join's other inputs are <see cref="Parts"/>, stored under <see cref="JobFiles.PartKey"/>.</remarks>
    internal sealed record Received(CheckedRequest Request, string Name, long Size, string Sha256)
    {
        public IReadOnlyList<JobInputPart> Parts { get; init; } = [];
    }

    private static async Task<Refusable<Received>> ReadUploadReferenceAsync(
        HttpContext context, string userId, string jobId, UploadStore uploads, IFileStore store, (UserJobs Queue, long Used, long Quota) usage,
        int maxInputs, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength is > 1024 * 1024)
        {
            return Problems.InvalidOption("The JSON body is too large.");
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        var fields = JobRequestFields.FromJson(document.RootElement);
        var (uploadId, fromJob, uploadIds) = (fields.Single("uploadId"), fields.Single("fromJob"), fields.All("uploadIds"));
        var sources = (uploadId is null ? 0 : 1) + (fromJob is null ? 0 : 1) + (uploadIds.Count > 0 ? 1 : 0);
        if (sources != 1)
        {
            return Problems.InvalidOption(sources == 0
                ? "Field 'uploadId' is required: the id of a finished upload, 'uploadIds' (several, in order) to join them, or 'fromJob' to convert an earlier job's input again (or send the file as multipart/form-data)."
                : "Send one of 'uploadId', 'uploadIds' or 'fromJob', not several.");
        }

        if (fields.CoverImageBase64 is { } picture)
        {
            // Stored under the job's folder, which goes if the request is refused.
            var cover = await StoreJsonCoverImageAsync(picture, jobId, store, cancellationToken);
            if (cover.Value is null)
            {
                return cover.Problem!;
            }

            fields.CoverImageSha256 = cover.Value;
        }

        // Every check that can refuse the request runs before the upload is taken or the input copied: a refused request uses nothing up.
        var checkedRequest = await fields.CheckAsync(cancellationToken);
        if (checkedRequest.Value is not { } request)
        {
            return checkedRequest.Problem!;
        }

        if (fromJob is not null)
        {
            return await ConvertAgain.CopyInputAsync(request, fromJob, userId, jobId, usage.Queue, store, usage.Quota - usage.Used, cancellationToken);
        }

        if (uploadIds.Count > 0)
        {
            return await TakeUploadsAsync(request, uploadIds, userId, jobId, uploads, maxInputs, cancellationToken);
        }

        request.Options.CheckInputs(1, request.Extraction, maxInputs);
        var taken = await uploads.TakeAsInputAsync(userId, uploadId!, JobFiles.InputKey(jobId), cancellationToken);
        return taken is null
            ? Problems.Of(404, "input-not-found", $"There is no finished upload '{uploadId}' (it may be unfinished, expired, or already used).")
            : new Received(request, taken.FileName, taken.Size, taken.Sha256);
    }
}
