using Microsoft.OpenApi;
using Vexaa.Jobs;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// Every route's operationId and description, and what the framework cannot infer about it. A route missing here has no
/// description in the document, and a test (OpenApiDocumentTests) fails.
/// </summary>
internal static partial class OperationCatalog
{
    public sealed record Entry(string Id, string Description, Action<OpenApiOperation, OpenApiDocument?>? Complete = null);

    /// <summary>"GET /api/v1/jobs/{id}/results/{index}": the method and the path as the document shows it (no route constraints).</summary>
    public static string Key(string method, string relativePath) =>
        method.ToUpperInvariant() + " /" + RouteConstraint().Replace(relativePath.Trim('/'), "}");

    [System.Text.RegularExpressions.GeneratedRegex(":[^}]*}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();

    public static Entry? Find(string key) => Entries.GetValueOrDefault(key);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/jobs"] = new("createJob", """
            Creates a job from a file sent in this request (`multipart/form-data`, the video in the part named `file`, options as
            other fields) or from a finished tus upload (`application/json`, `{"uploadId": …}` and the same options). The options
            are checked before anything is stored; the answer is the queued job (`202`, `Location` is the job). With an
            `Idempotency-Key`, a repeated request answers the job the first one made (`Idempotent-Replayed: true`). With
            `Prefer: wait=N` (RFC 7240, at most 60 s) the answer waits for the job: `303` to its result once it has succeeded
            (so `curl -L` downloads it), its error (`422`, with `jobId`) once it has failed, `202` as above when the time is up.
            """, CreateJob),
        ["GET /api/v1/jobs"] = new("listJobs", "The caller's jobs, newest first, a page at a time: pass `nextCursor` back as `cursor` for the next page.", ListJobs),
        ["GET /api/v1/jobs/events"] = new("streamAllJobEvents", Sse.FeedDescription, (op, doc) => Sse.Describe(op, feed: true)),
        ["GET /api/v1/jobs/archive"] = new("downloadJobArchive",
            "The results of several succeeded jobs as one zip, streamed as it is made (entries stored, not recompressed). Names that clash get a number.", Archive),
        ["GET /api/v1/jobs/{id}"] = new("getJob", "One job: status, progress and time left, input (with its probe once read), options, error, results with their download links.", (op, doc) =>
        {
            op.Parameter("id", "The job's id.");
            op.Problem(doc, 404, "No such job (another user's job answers the same).", "not-found");
        }),
        ["GET /api/v1/jobs/{id}/events"] = new("streamJobEvents", Sse.JobDescription, (op, doc) =>
        {
            op.Parameter("id", "The job's id.");
            Sse.Describe(op, feed: false);
            op.Problem(doc, 404, "No such job.", "not-found");
        }),
        ["GET /api/v1/jobs/{id}/result"] = new("downloadResult", "Downloads the job's first (usually only) result file.", (op, doc) => Download(op, doc, index: false)),
        ["GET /api/v1/jobs/{id}/results/{index}"] = new("downloadResultFile",
            "Downloads result file number `index` (from 0): a job with `allTracks` makes one per audio track.", (op, doc) => Download(op, doc, index: true)),
        ["DELETE /api/v1/jobs/{id}"] = new("deleteJob",
            "Cancels a queued or running job (its ffmpeg is stopped) or deletes a finished one. Its input and results are deleted either way.", (op, doc) =>
            {
                op.Parameter("id", "The job's id.");
                op.Respond(204, "Canceled or deleted.");
                op.Problem(doc, 404, "No such job.", "not-found");
            }),
        ["POST /api/v1/jobs/{id}/retry"] = new("retryJob", "Queues a failed job again, with the same input and options, while its input is still stored.", (op, doc) =>
        {
            op.Parameter("id", "The job's id.");
            op.Respond(202, "Queued again.", "application/json", Describe.Ref("JobDto", doc)).WithHeader("Location", "The job.");
            op.Problem(doc, 404, "No such job.", "not-found");
            op.Problem(doc, 409, "The job has not failed, or its input is gone.", "not-failed", "input-expired");
        }),
    };

    private static void CreateJob(OpenApiOperation op, OpenApiDocument? doc)
    {
        op.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "The file with options, or a finished upload's id with options.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = Describe.Ref(JobForms.Multipart, doc),
                    Encoding = new Dictionary<string, OpenApiEncoding>
                    {
                        ["file"] = new() { ContentType = "application/octet-stream, video/*, audio/*" },
                        ["coverImage"] = new() { ContentType = "image/jpeg, image/png" },
                    },
                },
                ["application/json"] = new() { Schema = Describe.Ref(JobForms.Json, doc) },
            },
        };
        op.Parameter(Describe.HeaderParameter("Idempotency-Key",
            "1 to 200 visible ASCII characters. A repeat with the same key answers the job the first request made, without a second job.",
            schema: new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 }));
        op.Respond(202, "The job, queued.", "application/json", Describe.Ref("JobDto", doc))
            .WithHeader("Location", "The job: `/api/v1/jobs/{id}`.")
            .WithHeader("Idempotent-Replayed", "`true` when this answers an earlier request with the same Idempotency-Key.");
        op.Parameter(Describe.HeaderParameter("Prefer",
            "`wait=N`: answer once the job has finished, waiting at most N seconds (at most 60); `respond-async`, `wait=0` or no header answers at once. Other preferences are ignored."));
        op.Respond(303, "With `Prefer: wait`: the job succeeded within the wait; `Location` is its result (a zip when it made several files).",
                "application/json", Describe.Ref("JobDto", doc))
            .WithHeader("Location", "`/api/v1/jobs/{id}/result`, or `/api/v1/jobs/archive?ids={id}` for several files.")
            .WithHeader("Preference-Applied", "`wait=N`, the wait that was honoured.");
        op.Problem(doc, 400, "A field or option is not valid (the detail names it), or the form is malformed.", "invalid-option", "invalid-request");
        op.Problem(doc, 422, "A job would make more files than allowed (`too-many-outputs`); or, with `Prefer: wait`, the job failed within the wait: "
            + "its own error code (as a failed job's `error.code`, such as `no-audio-stream`) and its `jobId`.");
        op.Problem(doc, 403, "The upload would exceed the caller's storage quota.", "quota-exceeded");
        op.Problem(doc, 404, "The `uploadId` names no finished upload of the caller's (unfinished, expired or already used).", "input-not-found");
        op.Problem(doc, 413, "The file is larger than the server allows (`maxBytes`).", "payload-too-large");
        op.Problem(doc, 415, "The body is neither multipart/form-data nor JSON.", "unsupported-media-type");
        op.Problem(doc, 429, "Too many requests, or too many of the caller's jobs queued or running; wait `Retry-After` seconds.", "rate-limited", "too-many-active-jobs")
            .WithHeader("Retry-After", "Seconds to wait before trying again.", Describe.Integer(minimum: 1));
        op.Problem(doc, 507, "The server's disk is full; nothing was kept and no job made. Send the same request again after `Retry-After` seconds.", "insufficient-storage")
            .WithHeader("Retry-After", "Seconds to wait before trying again.", Describe.Integer(minimum: 1));
    }

    private static void ListJobs(OpenApiOperation op, OpenApiDocument? doc)
    {
        op.Parameter("status", "Only jobs in this state.", s => s.Enum = [.. JobState.All.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))]);
        op.Parameter("limit", "Jobs per page, 1 to 100 (default 20).", s => { s.Minimum = "1"; s.Maximum = "100"; });
        op.Parameter("cursor", "The `nextCursor` of the previous page.");
        op.Respond(200, "A page of jobs.", "application/json", Describe.Ref("JobListDto", doc));
        op.Problem(doc, 400, "A bad status, limit or cursor.", "invalid-request");
    }

    private static void Archive(OpenApiOperation op, OpenApiDocument? doc)
    {
        op.Parameter("ids", $"1 to {Server.Jobs.JobArchive.MaxJobs} job ids, separated by commas.");
        if (op.Parameters?.FirstOrDefault(p => p.Name == "ids") is OpenApiParameter ids)
        {
            ids.Required = true;
        }

        op.Respond(200, "The zip, streamed.", "application/zip", Describe.Binary())
            .WithHeader("Content-Disposition", "`attachment; filename=vexaa-audio-….zip`.");
        op.Problem(doc, 400, "No ids, or too many.", "invalid-request");
        op.Problem(doc, 404, "One of the ids names no job of the caller's.", "not-found");
        op.Problem(doc, 409, "One of the jobs has not succeeded.", "not-finished");
        op.Problem(doc, 410, "A result is no longer stored.", "expired");
    }

    private static void Download(OpenApiOperation op, OpenApiDocument? doc, bool index)
    {
        op.Parameter("id", "The job's id.");
        if (index)
        {
            op.Parameter("index", "The result's number, from 0, as in the job's `results`.", s => s.Minimum = "0");
        }

        op.Parameter(Describe.HeaderParameter("Range", "A single byte range, e.g. `bytes=0-1023` (answered with 206)."));
        op.Parameter(Describe.HeaderParameter("If-None-Match", "The ETag of a copy the client has (answered with 304 when it is current)."));
        op.Parameter(Describe.HeaderParameter("If-Modified-Since", "An HTTP date (answered with 304 when the result is not newer)."));
        op.Parameter(Describe.HeaderParameter("If-Range", "An ETag or date: the Range applies only if the result is unchanged."));
        var types = "audio/mpeg (mp3), audio/aac, audio/mp4 (m4a, alac), audio/ogg (ogg; opus with `codecs=opus`), audio/flac, audio/wav, audio/x-matroska and the like for copied streams";
        var file = op.Respond(200, $"The whole file. Content-Type is the result's ({types}).");
        foreach (var mediaType in new[] { "audio/*", "application/octet-stream" })
        {
            file.WithContent(mediaType, Describe.Binary());
        }

        Common(file);
        var part = op.Respond(206, "The requested byte range.").WithContent("audio/*", Describe.Binary())
            .WithHeader("Content-Range", "`bytes first-last/size`.");
        Common(part);
        op.Respond(302, "The result is in an object store: a short-lived presigned address (never cache it).")
            .WithHeader("Location", "The presigned download address.");
        op.Respond(304, "The client's copy is current (If-None-Match / If-Modified-Since).").WithHeader("ETag", "The result's entity tag.");
        op.Problem(doc, 404, "No such job, or no result with that number.", "not-found");
        op.Problem(doc, 409, "The job has not succeeded (yet).", "not-finished");
        op.Problem(doc, 410, "The result is no longer stored (retention).", "expired");
        op.Respond(416, "The Range lies outside the file.").WithHeader("Content-Range", "`bytes */size`.");

        static void Common(OpenApiResponse response) => response
            .WithHeader("ETag", "The result's entity tag (its checksum).")
            .WithHeader("Last-Modified", "When the job finished.")
            .WithHeader("Accept-Ranges", "`bytes`.")
            .WithHeader("Content-Disposition", "`attachment` with the result's file name.");
    }
}
