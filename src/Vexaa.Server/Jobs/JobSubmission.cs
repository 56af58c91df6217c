using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
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
internal static class JobSubmission
{
    private const int MaxFieldBytes = 64 * 1024;

    // Boundaries, part headers and up to 32 fields at their largest.
    private const long FormEnvelopeBytes = MaxFieldBytes * 32L;

    public static async Task<IResult> SubmitAsync(
        HttpContext context, JobQueue queue, UserJobs userJobs, UploadStore uploads, IFileStore store, JobEvents events, IOptions<LimitsOptions> limits, IOptions<WorkersOptions> workers, TimeProvider time,
        Vexaa.Metrics.VexaaMetrics metrics, Vexaa.Redis.ProbeCache probes, IOptions<Vexaa.Data.DataOptions> data)
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
            var received = isForm
                ? await ReadMultipartAsync(context, jobId, store, settings, cancellationToken)
                : mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                    ? await ReadUploadReferenceAsync(context, userId, jobId, uploads, store, (userJobs, stored + inFlight, settings.QuotaBytesPerUser), cancellationToken)
                    : throw new BadHttpRequestException("Send multipart/form-data with a 'file' part, or JSON with an 'uploadId'.", StatusCodes.Status415UnsupportedMediaType);

            var jobOptions = received.Fields.ToOptions();
            var extraction = jobOptions.ToExtractionOptions();
            await received.Fields.CheckWebhookAsync(cancellationToken);
            await OutputCountCheck.CheckAsync(JobFiles.InputKey(jobId), received.Sha256, received.Name, store, probes, settings, data.Value, extraction, cancellationToken);

            var now = time.NowMs();
            var job = new Job
            {
                Id = jobId,
                UserId = userId,
                State = JobState.Queued,
                OptionsJson = JobColumns.Write(jobOptions.Normalized()),
                InputKey = JobFiles.InputKey(jobId),
                InputName = received.Name,
                InputSize = received.Size,
                InputSha256 = received.Sha256,
                MaxAttempts = workers.Value.MaxAttempts,
                RunAfter = now,
                WebhookUrl = received.Fields.WebhookUrl(),
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
            return TypedResults.Accepted($"/api/v1/jobs/{jobId}", JobDto.From(job));
        }
        catch (Exception e) when (e is MediaException or UploadTooLargeException or BadHttpRequestException or JsonException or InvalidDataException
                                      or Vexaa.Webhooks.WebhookRefusedException or ConvertAgain.Refused
                                      || (e is IOException && cancellationToken.IsCancellationRequested))
        {
            await store.DeletePrefixAsync(JobFiles.Prefix(jobId), CancellationToken.None);
            return e switch
            {
                MediaException m => Problems.From(m),
                Vexaa.Webhooks.WebhookRefusedException w => Problems.Of(400, "webhook-address-refused", w.Message),
                ConvertAgain.Refused r => Problems.Of(r.Status, r.Code, r.Message),
                UploadTooLargeException or BadHttpRequestException { StatusCode: 413 } => TooLarge(settings),
                BadHttpRequestException b => Problems.Of(b.StatusCode, Problems.CodeFor(b.StatusCode), b.Message),
                JsonException => Problems.Of(400, "invalid-request", "The body is not valid JSON."),
                InvalidDataException d => Problems.Of(400, "malformed-multipart", $"The form could not be read: {d.Message}"),
                _ => Problems.Of(400, "invalid-request", "The upload was interrupted."),
            };
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

    private static IResult Replayed(HttpContext context, Job job)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobDto.From(job));
    }

    internal sealed record Received(JobRequestFields Fields, string Name, long Size, string Sha256);

    private static async Task<Received> ReadMultipartAsync(HttpContext context, string jobId, IFileStore store, LimitsOptions settings, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxUploadBytes + FormEnvelopeBytes;
        }

        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) ? HeaderUtilities.RemoveQuotes(contentType.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            throw new InvalidDataException("its Content-Type names no boundary (or one longer than the 70 characters RFC 2046 allows).");
        }

        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        var fields = new JobRequestFields();
        (string Name, long Size, string Sha256)? file = null;
        while (await NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
            {
                throw MediaException.Invalid("Every part of the form needs a Content-Disposition with a name.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition())
            {
                if (name != "file" || file is not null)
                {
                    throw MediaException.Invalid(name == "file" ? "Send one file per job." : $"The file must be in the part named 'file', not '{name}'.");
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload";
                await using var hashing = new HashingStream(new FormPartStream(section.Body, cancellationToken), settings.MaxUploadBytes);
                await store.PutAsync(JobFiles.InputKey(jobId), hashing, cancellationToken);
                file = (fileName, hashing.BytesRead, hashing.Sha256());
            }
            else
            {
                using var text = new StreamReader(new FormPartStream(section.Body, cancellationToken));
                var buffer = new char[MaxFieldBytes + 1];
                var read = await text.ReadBlockAsync(buffer, cancellationToken);
                if (read > MaxFieldBytes)
                {
                    throw MediaException.Invalid($"Field '{name}' is too long.");
                }

                fields.Add(name, new string(buffer, 0, read));
            }
        }

        if (file is not { } f)
        {
            throw MediaException.Invalid("The form has no 'file' part with the video to convert.");
        }

        return new Received(fields, f.Name, f.Size, f.Sha256);
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException e) when (FormPartStream.IsMalformed(e, cancellationToken))
        {
            throw FormPartStream.Malformed(e);
        }
    }

    private static async Task<Received> ReadUploadReferenceAsync(
        HttpContext context, string userId, string jobId, UploadStore uploads, IFileStore store, (UserJobs Queue, long Used, long Quota) usage,
        CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength is > 1024 * 1024)
        {
            throw MediaException.Invalid("The JSON body is too large.");
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
        var fields = JobRequestFields.FromJson(document.RootElement);
        if (fields.Single("fromJob") is { } fromJob)
        {
            return await ConvertAgain.CopyInputAsync(fields, fromJob, userId, jobId, usage.Queue, store, usage.Quota - usage.Used, cancellationToken);
        }

        var uploadId = fields.Single("uploadId") ?? throw MediaException.Invalid("Field 'uploadId' is required: the id of a finished upload, or 'fromJob' to convert an earlier job's input again (or send the file as multipart/form-data).");
        // Every check that can refuse the request runs before the upload is taken: a refused request must not use it up.
        fields.ToOptions().ToExtractionOptions();
        await fields.CheckWebhookAsync(cancellationToken);
        var taken = await uploads.TakeAsInputAsync(userId, uploadId, JobFiles.InputKey(jobId), cancellationToken)
            ?? throw new MediaException(MediaError.InputNotFound, $"There is no finished upload '{uploadId}' (it may be unfinished, expired, or already used).");
        return new Received(fields, taken.FileName, taken.Size, taken.Sha256);
    }
}
