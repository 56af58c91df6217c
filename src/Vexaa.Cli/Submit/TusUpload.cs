using System.Globalization;
using System.Net;
using System.Text;

namespace Vexaa.Cli.Submit;

/// <summary>What gets uploaded for one input: the input itself, or the audio copied out of it.</summary>
/// <param name="Key">Identifies this upload in the state file: server, input identity, what is sent, options.</param>
/// <param name="Sha256">Of the audio copy, checked before resuming (a fresh copy must be the bytes the server already has).</param>
internal sealed record UploadSource(string Path, long Length, string FileName, string Key, string? Sha256);

/// <summary>How far an upload went: <see cref="ResumedFrom"/> bytes were already on the server when this run started.</summary>
internal readonly record struct UploadProgress(long Offset, long Length, long ResumedFrom);

/// <summary>
/// The client side of tus 1.0 (creation, core): creates the upload once and remembers its address, asks the server's
/// Upload-Offset before sending, and sends the rest in chunks, resuming after a broken connection.
/// </summary>
internal sealed class TusUpload(ServerApi api, UploadStateFile state)
{
    private const string Tus = "1.0.0";
    private const int BrokenChunkRetries = 3;

    // Test and bench hooks: a slower link (bytes per second) and smaller chunks than the default 8 MiB.
    private static readonly long Rate = EnvLong("VEXAA_SUBMIT_RATE") ?? 0;
    private static readonly long ChunkBytes = EnvLong("VEXAA_SUBMIT_CHUNK_BYTES") ?? 8L * 1024 * 1024;

    /// <returns>The upload's id, for <c>POST /api/v1/jobs {"uploadId"}</c>.</returns>
    public async Task<string> RunAsync(UploadSource source, IProgress<UploadProgress> progress, CancellationToken cancellationToken)
    {
        var (url, offset) = await ResumeAsync(source, cancellationToken) ?? (await CreateAsync(source, cancellationToken), 0L);
        var resumedFrom = offset;
        progress.Report(new UploadProgress(offset, source.Length, resumedFrom));
        var broken = 0;
        while (offset < source.Length)
        {
            var count = Math.Min(ChunkBytes, source.Length - offset);
            var at = offset;
            try
            {
                using var response = await api.SendAsync(() => Request(HttpMethod.Patch, url, new FileRangeContent(source.Path, at, count, Rate, sent => progress.Report(new UploadProgress(at + sent, source.Length, resumedFrom)))),
                    cancellationToken, HttpStatusCode.Conflict);
                offset = Offset(response) ?? throw new SubmitFailure(SubmitFailure.RefusedExit, "bad-answer", "the server's tus answer has no Upload-Offset.");
                broken = 0;
                if (response.StatusCode == HttpStatusCode.Conflict)
                {
                    // Another request (this run's own, cut off a moment ago) is still being stored: go on from its end.
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                }
            }
            catch (SubmitFailure e) when (e.ExitCode == SubmitFailure.UnreachableExit && broken < BrokenChunkRetries)
            {
                // The connection broke mid-chunk: ask the server how much arrived and go on from there.
                broken++;
                await Task.Delay(TimeSpan.FromSeconds(broken), cancellationToken);
                using var head = await api.SendAsync(() => Request(HttpMethod.Head, url, null), cancellationToken);
                offset = Offset(head) ?? offset;
            }

            progress.Report(new UploadProgress(offset, source.Length, resumedFrom));
        }

        return url.Segments[^1];
    }

    /// <summary>The upload this input had on this server, and the server's offset in it; null when there is none to go on with.</summary>
    private async Task<(Uri, long)?> ResumeAsync(UploadSource source, CancellationToken cancellationToken)
    {
        if (await state.FindAsync(source.Key, cancellationToken) is not { } saved || saved.Length != source.Length || saved.Sha256 != source.Sha256)
        {
            return null;
        }

        var url = new Uri(saved.Url);
        using var head = await api.SendAsync(() => Request(HttpMethod.Head, url, null), cancellationToken, HttpStatusCode.NotFound, HttpStatusCode.Gone);
        if (head.IsSuccessStatusCode && Offset(head) is { } offset && Length(head) == source.Length)
        {
            return (url, offset);
        }

        // Expired, finished and used, or deleted on the server: start a new one.
        await state.RemoveAsync(source.Key, cancellationToken);
        return null;
    }

    private async Task<Uri> CreateAsync(UploadSource source, CancellationToken cancellationToken)
    {
        using var response = await api.SendAsync(() =>
        {
            var request = Request(HttpMethod.Post, new Uri(api.Server, "api/v1/uploads"), null);
            request.Headers.Add("Upload-Length", source.Length.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("Upload-Metadata", "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(source.FileName)));
            return request;
        }, cancellationToken);
        var location = response.Headers.Location ?? throw new SubmitFailure(SubmitFailure.RefusedExit, "bad-answer", "the server created an upload but named no Location.");
        var url = new Uri(api.Server, location);
        await state.SaveAsync(source.Key, new UploadStateFile.Entry(url.ToString(), source.Length, source.Sha256, DateTimeOffset.UtcNow), cancellationToken);
        return url;
    }

    public Task ForgetAsync(UploadSource source, CancellationToken cancellationToken) => state.RemoveAsync(source.Key, cancellationToken);

    private static HttpRequestMessage Request(HttpMethod method, Uri url, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Add("Tus-Resumable", Tus);
        if (content is not null)
        {
            request.Headers.Add("Upload-Offset", ((FileRangeContent)content).Offset.ToString(CultureInfo.InvariantCulture));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
        }

        return request;
    }

    private static long? Offset(HttpResponseMessage response) => Header(response, "Upload-Offset");

    private static long? Length(HttpResponseMessage response) => Header(response, "Upload-Length");

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? EnvLong(string name) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
