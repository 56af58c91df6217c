using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Vexaa.Jobs;
using Vexaa.Server.Auth;
using Vexaa.Storage;
using Vexaa.Uploads;

namespace Vexaa.Server.Uploads;

/// <summary>
/// Resumable uploads by the tus 1.0.0 protocol (https://tus.io/protocols/resumable-upload): core, creation, termination,
/// expiration and checksum (sha1). A finished upload becomes a job's input with POST /api/v1/jobs {"uploadId": ...}.
/// </summary>
public static class TusApi
{
    public const string Version = "1.0.0";
    private const string OffsetContentType = "application/offset+octet-stream";

    public static RouteGroupBuilder MapUploads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/uploads").WithTags("Uploads (tus)");
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            http.Response.Headers["Tus-Resumable"] = Version;
            if (!HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers["Tus-Resumable"].ToString() != Version)
            {
                http.Response.Headers["Tus-Version"] = Version;
                return Problems.Of(412, "tus-version", $"This server speaks tus {Version}; send 'Tus-Resumable: {Version}'.");
            }

            return await next(context);
        });
        group.MapMethods("/", [HttpMethods.Options], Capabilities).WithSummary("The tus versions, extensions and limits this server supports.");
        group.MapMethods("/{id}", [HttpMethods.Options], Capabilities).ExcludeFromDescription();
        group.MapPost("/", CreateAsync).WithSummary("Start an upload: Upload-Length and Upload-Metadata (filename) headers.").DisableAntiforgery();
        group.MapMethods("/{id}", [HttpMethods.Head], HeadAsync).WithSummary("How much of the upload has arrived (Upload-Offset).");
        group.MapMethods("/{id}", [HttpMethods.Patch], PatchAsync).WithSummary("Send bytes from Upload-Offset on (application/offset+octet-stream).").DisableAntiforgery();
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Abandon an upload and delete what arrived.");
        return group;
    }

    private static NoContent Capabilities(HttpContext context, IOptions<LimitsOptions> options)
    {
        var headers = context.Response.Headers;
        headers["Tus-Version"] = Version;
        headers["Tus-Extension"] = "creation,termination,expiration,checksum";
        headers["Tus-Max-Size"] = options.Value.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
        headers["Tus-Checksum-Algorithm"] = "sha1";
        return TypedResults.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, UploadStore uploads, UserJobs userJobs, IOptions<LimitsOptions> options)
    {
        var settings = options.Value;
        if (context.Request.Headers.ContainsKey("Upload-Defer-Length"))
        {
            return Problems.Of(400, "invalid-request", "Upload-Defer-Length is not supported; send Upload-Length.");
        }

        if (!long.TryParse(context.Request.Headers["Upload-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return Problems.Of(400, "invalid-request", "Upload-Length must be the upload's size in bytes.");
        }

        if (length > settings.MaxUploadBytes)
        {
            context.Response.Headers["Tus-Max-Size"] = settings.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
            return Problems.Of(413, "payload-too-large", $"Uploads may be at most {settings.MaxUploadBytes:N0} bytes.");
        }

        var userId = context.User.UserId();
        var (_, stored) = await userJobs.UsageAsync(userId, context.RequestAborted);
        var inFlight = await uploads.InFlightBytesAsync(userId, context.RequestAborted);
        if (stored + inFlight + length > settings.QuotaBytesPerUser)
        {
            return Problems.Of(403, "quota-exceeded", $"This upload would take your stored files past your {settings.QuotaBytesPerUser:N0}-byte quota.");
        }

        var metadata = context.Request.Headers["Upload-Metadata"].ToString();
        if (ParseMetadata(metadata) is not { } pairs)
        {
            return Problems.Of(400, "invalid-request", "Upload-Metadata must be comma-separated 'key base64value' pairs.");
        }

        var fileName = pairs.GetValueOrDefault("filename") ?? pairs.GetValueOrDefault("name") ?? "upload";
        var upload = await uploads.CreateAsync(userId, length, metadata.Length > 0 ? metadata : null, fileName, context.RequestAborted);
        context.Response.Headers["Upload-Expires"] = UnixTime.FromMs(upload.ExpiresAt).ToString("R", CultureInfo.InvariantCulture);
        context.Response.Headers.Location = $"/api/v1/uploads/{upload.Id}";
        return TypedResults.Created($"/api/v1/uploads/{upload.Id}");
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext context, UploadStore uploads)
    {
        var upload = await uploads.GetAsync(context.User.UserId(), id, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        if (upload is null)
        {
            return TypedResults.NotFound();
        }

        WriteUploadHeaders(context, upload, upload.Offset);
        if (upload.Metadata is not null)
        {
            context.Response.Headers["Upload-Metadata"] = upload.Metadata;
        }

        return TypedResults.Ok();
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext context, UploadStore uploads, Vexaa.Metrics.VexaaMetrics metrics)
    {
        using var inFlight = metrics.UploadStarted();
        if (!string.Equals(context.Request.ContentType, OffsetContentType, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Of(415, "unsupported-media-type", $"PATCH bodies must be {OffsetContentType}.");
        }

        if (!long.TryParse(context.Request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return Problems.Of(400, "invalid-request", "Upload-Offset must be the byte offset this chunk starts at.");
        }

        byte[]? sha1 = null;
        var checksum = context.Request.Headers["Upload-Checksum"].ToString();
        if (checksum.Length > 0)
        {
            var parts = checksum.Split(' ', 2);
            if (parts[0] != "sha1")
            {
                return Problems.Of(400, "invalid-request", "Only the sha1 checksum algorithm is supported.");
            }

            try
            {
                sha1 = Convert.FromBase64String(parts.Length == 2 ? parts[1] : "");
            }
            catch (FormatException)
            {
                return Problems.Of(400, "invalid-request", "Upload-Checksum must be 'sha1 <base64 digest>'.");
            }
        }

        var upload = await uploads.GetAsync(context.User.UserId(), id, context.RequestAborted);
        if (upload is null)
        {
            return Problems.NotFound("upload");
        }

        if (offset > upload.Length)
        {
            // Past the end can never be right (and would make the body limit below negative).
            WriteUploadHeaders(context, upload, upload.Offset);
            return Problems.Of(409, "offset-mismatch", $"The upload is at offset {upload.Offset}, not {offset}; resume from there.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // One byte more than fits, so an overlong chunk is noticed rather than cut off by the server. Kestrel counts a
            // chunked body's framing against the cap too, so such a body gets none: the store stops reading at Upload-Length.
            limit.MaxRequestBodySize = context.Request.ContentLength is null ? null : upload.Length - offset + 1;
        }

        (AppendOutcome, long) appended;
        try
        {
            appended = await uploads.AppendAsync(upload, offset, new RequestBody(context.Request.Body), sha1, context.RequestAborted);
        }
        catch (UploadTooLargeException)
        {
            return Problems.Of(413, "payload-too-large", $"The chunk runs past the declared Upload-Length of {upload.Length} bytes.");
        }
        catch (Exception e) when (DiskFull.Is(e))
        {
            // Nothing of the chunk was kept: the offset is where it was, for a resume once there is room.
            WriteUploadHeaders(context, upload, offset);
            return InsufficientStorage.Answer(context);
        }

        var (outcome, newOffset) = appended;
        WriteUploadHeaders(context, upload, newOffset);
        return outcome switch
        {
            AppendOutcome.Appended => TypedResults.NoContent(),
            AppendOutcome.OffsetMismatch => Problems.Of(409, "offset-mismatch", $"The upload is at offset {newOffset}, not {offset}; resume from there."),
            AppendOutcome.Busy => Problems.Of(409, "upload-busy", "Another request is writing to this upload; resume once it has finished."),
            AppendOutcome.TooLong => Problems.Of(413, "payload-too-large", $"The chunk runs past the declared Upload-Length of {upload.Length} bytes."),
            _ => Problems.Of(460, "checksum-mismatch", "The chunk does not match its Upload-Checksum; it was discarded, send it again."),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, UploadStore uploads) =>
        await uploads.DeleteAsync(context.User.UserId(), id, context.RequestAborted) ? TypedResults.NoContent() : Problems.NotFound("upload");

    private static void WriteUploadHeaders(HttpContext context, Upload upload, long offset)
    {
        context.Response.Headers["Upload-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Upload-Expires"] = UnixTime.FromMs(upload.ExpiresAt).ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>tus metadata: "key base64,key2 base64,flag"; null when malformed.</summary>
    internal static Dictionary<string, string>? ParseMetadata(string header)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(' ', 2);
            if (parts[0].Length == 0 || pairs.ContainsKey(parts[0]))
            {
                return null;
            }

            try
            {
                pairs[parts[0]] = parts.Length == 2 ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])) : "";
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return pairs;
    }
}
