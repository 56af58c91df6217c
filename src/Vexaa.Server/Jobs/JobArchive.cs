using System.IO.Compression;
using Vexaa.Jobs;
using Vexaa.Server.Auth;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>
/// GET /api/v1/jobs/archive?ids=a,b,c: the results of several succeeded jobs as one zip, written straight to the response
/// as each file is read (never held whole in memory or on disk). Audio is already compressed, so entries are stored.
/// </summary>
internal static class JobArchive
{
    public const int MaxJobs = 100;
    public static async Task<IResult> DownloadAsync(string? ids, HttpContext context, UserJobs userJobs, IFileStore store, TimeProvider time)
    {
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count is 0 or > MaxJobs)
        {
            return Problems.Of(400, "invalid-request", $"ids must list 1 to {MaxJobs} job ids, separated by commas.");
        }

        var files = new List<(string Name, string Key)>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var id in wanted)
        {
            // Another user's job answers exactly as a missing one does.
            var job = await userJobs.GetAsync(context.User.UserId(), id, context.RequestAborted);
            if (job is null)
            {
                return Problems.Of(404, "not-found", $"There is no job with the id '{Truncate(id)}'.");
            }

            if (job.State != JobState.Succeeded || job.ResultsJson is null)
            {
                return Problems.Of(409, "not-finished", $"Job '{id}' is {job.State}; only succeeded jobs have results to download.");
            }

            // A packaged job's download is its bag, which already holds every other result.
            var results = job.Results();
            var bag = results.FirstOrDefault(r => r.Format == Vexaa.Jobs.JobOptions.BagIt);
            foreach (var result in bag is null ? results : [bag])
            {
                if (await store.StatAsync(result.Key, context.RequestAborted) is null)
                {
                    return Problems.Of(410, "expired", $"A result of job '{id}' is no longer stored.");
                }

                files.Add((Unique(JobFiles.SafeFileName(result.FileName), names), result.Key));
            }
        }

        if (wanted.Count == 1 && files is [var only] && only.Name.EndsWith("-bag.zip", StringComparison.Ordinal))
        {
            // One bag: the zip itself, not a zip holding it.
            var bagStream = await store.OpenReadAsync(only.Key, context.RequestAborted);
            return bagStream is null ? Problems.Of(410, "expired", "The job's bag is no longer stored.") : TypedResults.Stream(bagStream, "application/zip", only.Name);
        }

        var fileName = $"vexaa-audio-{time.GetUtcNow():yyyyMMdd-HHmmss}.zip";
        return TypedResults.Stream(body => WriteAsync(body, files, store, context.RequestAborted), "application/zip", fileName);
    }

    private static async Task WriteAsync(Stream body, List<(string Name, string Key)> files, IFileStore store, CancellationToken cancellationToken)
    {
        var response = new AsyncOnlyStream(body);
        await using (var zip = await ZipArchive.CreateAsync(response, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            foreach (var (name, key) in files)
            {
                await using var input = await store.OpenReadAsync(key, cancellationToken)
                    ?? throw new IOException($"The stored result '{key}' disappeared while the archive was being written.");
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                await using var output = await entry.OpenAsync(cancellationToken);
                await input.CopyToAsync(output, cancellationToken);
            }
        }

        await response.FlushAsync(cancellationToken);
    }

    /// <summary>Two jobs of the same video make results of the same name: the second becomes "name (2).mp3".</summary>
    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{Path.GetFileNameWithoutExtension(name)} ({n}){Path.GetExtension(name)}";
        }

        return candidate;
    }

    /// <summary>
    /// The response body as ZipArchive needs it: .NET 10's entry streams still write their data descriptor (a few bytes)
    /// synchronously when disposed, which Kestrel refuses. Those small writes wait here and go out with the next
    /// asynchronous write or flush; the audio itself passes straight through.
    /// </summary>
    private sealed class AsyncOnlyStream(Stream inner) : Stream
    {
        private readonly MemoryStream _pending = new();
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _pending.Write(buffer, offset, count);
            _written += count;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await SendPendingAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
            _written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await SendPendingAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        private async Task SendPendingAsync(CancellationToken cancellationToken)
        {
            if (_pending.Length > 0)
            {
                await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken);
                _pending.SetLength(0);
            }
        }

        // Flushing happens in FlushAsync; a synchronous flush (from a Dispose) has nothing it may do.
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static string Truncate(string id) => id.Length > 40 ? id[..40] + "…" : id;
}
