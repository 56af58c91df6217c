using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Storage;

namespace Vexaa.Uploads;

/// <summary>Joining a finished upload's segments into one object, and handing the result on to whoever uses it.</summary>
public sealed partial class UploadStore
{
    /// <summary>
    /// Joins a finished upload's chunks into one object and records its SHA-256, so that probing it reads one file in place
    /// (on local disk) and making its job is a move rather than a copy. Done once, by the request that brought the last
    /// chunk; should it fail, the chunks stay as they are and are read one after another instead.
    /// </summary>
    private async Task JoinFinishedAsync(Upload upload)
    {
        try
        {
            IReadOnlyList<UploadSegment> segments;
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                segments = await SegmentsAsync(connection, upload.Id);
            }

            // One chunk is the whole upload already: it needs only its hash.
            var whole = segments.Count == 1 ? segments[0] : new UploadSegment(0, upload.Length, $"{Prefix(upload.Id)}whole-{Ids.New()}");
            var sha256 = await JoinAsync(upload, segments, segments.Count == 1 ? null : whole.StorageKey, CancellationToken.None);

            await using (var connection = await database.OpenAsync(CancellationToken.None))
            await using (var transaction = await connection.BeginTransactionAsync(CancellationToken.None))
            {
                await connection.ExecuteAsync("UPDATE uploads SET sha256 = @sha256 WHERE id = @id", new { sha256, id = upload.Id }, transaction);
                if (segments.Count > 1)
                {
                    await connection.ExecuteAsync("DELETE FROM upload_segments WHERE upload_id = @id", new { id = upload.Id }, transaction);
                    await InsertSegmentAsync(connection, transaction, upload.Id, whole);
                }

                await transaction.CommitAsync(CancellationToken.None);
            }

            foreach (var segment in segments.Where(s => s.StorageKey != whole.StorageKey))
            {
                await store.DeleteAsync(segment.StorageKey, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The chunk that finished the upload is committed; this is an optimisation, so its failure is not the client's.
            logger.LogWarning(e, "Upload {UploadId}: could not join its chunks into one object; they will be read one after another", upload.Id);
        }
    }

    /// <summary>
    /// Reads an upload's segments in order, storing them as one object under <paramref name="targetKey"/> (or only hashing
    /// them when it is null), and returns their SHA-256.
    /// </summary>
    public async Task<string> JoinAsync(Upload upload, IReadOnlyList<UploadSegment> segments, string? targetKey, CancellationToken cancellationToken)
    {
        await using var chunks = OpenRead(segments);
        await using var hashing = new HashingStream(chunks, long.MaxValue);
        if (targetKey is null)
        {
            await hashing.CopyToAsync(Stream.Null, BufferSize, cancellationToken);
        }
        else
        {
            await store.PutAsync(targetKey, hashing, cancellationToken);
        }

        if (hashing.BytesRead != upload.Length)
        {
            throw new IOException($"Upload '{upload.Id}' holds {hashing.BytesRead} of its {upload.Length} bytes.");
        }

        return hashing.Sha256();
    }

    private static async Task<IReadOnlyList<UploadSegment>> SegmentsAsync(System.Data.Common.DbConnection connection, string id, System.Data.Common.DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<UploadSegment>(
            "SELECT start_offset AS StartOffset, length AS Length, storage_key AS StorageKey FROM upload_segments WHERE upload_id = @id ORDER BY start_offset",
            new { id }, transaction)];

    /// <summary>
    /// Removes a completed upload from the table and hands over its segments (for a new job); null if not complete or not
    /// found. A joined upload is one segment with its <see cref="Upload.Sha256"/> known: the caller moves it. Otherwise the
    /// caller joins them with <see cref="JoinAsync"/>. Either way it then calls <see cref="DeleteStoredAsync"/>; only
    /// <see cref="TakeAsInputAsync"/> does all that, so no one else can forget a step.
    /// </summary>
    private async Task<(Upload Upload, IReadOnlyList<UploadSegment> Segments)?> TakeCompletedAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(userId, id, cancellationToken);
        if (upload is not { CompletedAt: not null })
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var segments = await SegmentsAsync(connection, id, transaction);
        var taken = await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id AND user_id = @userId AND completed_at IS NOT NULL", new { id, userId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return taken == 1 ? (upload, segments) : null;
    }

    /// <summary>An upload's bytes, from its segments in order, as one stream.</summary>
    public Stream OpenRead(IReadOnlyList<UploadSegment> segments) => new SegmentStream(store, segments);

    /// <summary>
    /// A local file with a completed upload's bytes, for ffprobe: the stored object itself when the upload is one segment
    /// on local disk, else a copy in <paramref name="scratchDirectory"/>.
    /// </summary>
    public async Task<string> GetLocalCopyAsync(Upload upload, string scratchDirectory, CancellationToken cancellationToken)
    {
        IReadOnlyList<UploadSegment> segments;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            segments = await SegmentsAsync(connection, upload.Id);
        }

        if (segments.Count == 1)
        {
            return await store.GetLocalCopyAsync(segments[0].StorageKey, scratchDirectory, cancellationToken);
        }

        var path = Path.Combine(scratchDirectory, "upload");
        await using var source = OpenRead(segments);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await Storage.OverlappedCopy.CopyAsync(source, file, BufferSize, cancellationToken);
        return path;
    }

    /// <summary>Deletes an upload's stored segments (after it was taken, deleted or expired).</summary>
    public Task DeleteStoredAsync(string id, CancellationToken cancellationToken) => store.DeletePrefixAsync(Prefix(id), cancellationToken);
}
