using Vexaa.Media;
using Vexaa.Server.Auth;
using Vexaa.Server.Jobs;
using Vexaa.Uploads;

namespace Vexaa.Server.Uploads;

/// <summary>
/// GET /api/v1/uploads/{id}/probe: what a finished upload holds (duration, audio tracks by language and title), so a
/// person can choose a track before the job is made. Outside the tus route group: it is plain HTTP, not tus.
/// </summary>
public static class UploadProbeApi
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static void MapUploadProbe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/uploads/{id}/probe", ProbeAsync).WithTags("Uploads (tus)")
            .WithSummary("Probe a finished upload: container, duration, audio tracks, chapters (the same shape as a job's input.probe).")
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
    }

    private static async Task<Results<Ok<ProbeDto>, ProblemHttpResult>> ProbeAsync(string id, HttpContext context, UploadStore uploads, Vexaa.Media.SandboxedTools tools)
    {
        var upload = await uploads.GetAsync(context.User.UserId(), id, context.RequestAborted);
        if (upload is null)
        {
            return Problems.NotFound("upload");
        }

        if (upload.CompletedAt is null)
        {
            return Problems.Of(409, "upload-unfinished", $"The upload has {upload.Offset:N0} of its {upload.Length:N0} bytes; probe it once it has finished.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(Timeout);
        var scratch = Directory.CreateDirectory(Path.Combine(uploads.ScratchDirectory, "probe-" + Vexaa.Ids.New())).FullName;
        var path = scratch;
        try
        {
            path = await uploads.GetLocalCopyAsync(upload, scratch, timeout.Token);
            var extractor = new AudioExtractor(await tools.GetAsync(timeout.Token), new ExtractionLimits());
            var media = await extractor.ProbeAsync(path, timeout.Token, upload.FileName);
            return TypedResults.Ok(ProbeDto.From(media));
        }
        catch (MediaException e)
        {
            // Messages name the upload as its owner knows it, never by this server's paths.
            var message = e.Message.Replace("file:" + path, upload.FileName, StringComparison.Ordinal).Replace(path, upload.FileName, StringComparison.Ordinal);
            return Problems.From(new MediaException(e.Error, message));
        }
        catch (FileNotFoundException)
        {
            // Taken by a job (or deleted) while this request was reading it.
            return Problems.NotFound("upload");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            return Problems.Of(422, "timeout", "Reading the file took too long; it may be damaged.");
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
