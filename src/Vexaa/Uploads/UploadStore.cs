using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Hosting;
using Vexaa.Storage;

namespace Vexaa.Uploads;

/// <summary>A resumable upload (tus): how long it will be, how much has arrived, and when it expires.</summary>
public sealed record Upload
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public long Length { get; init; }
    public long Offset { get; init; }
    public string? Metadata { get; init; }
    public required string FileName { get; init; }
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long? CompletedAt { get; init; }

    /// <summary>SHA-256 of the whole upload, once its chunks have been joined into one object; else null.</summary>
    public string? Sha256 { get; init; }
}

/// <summary>Why a chunk was not accepted.</summary>
public enum AppendOutcome { Appended, OffsetMismatch, TooLong, ChecksumMismatch, Busy }

/// <summary>The bytes one PATCH added to an upload, stored as one object.</summary>
public sealed record UploadSegment(long StartOffset, long Length, string StorageKey);

/// <summary>
/// Stores tus uploads: a row per upload, and what each PATCH brought as one object (a segment) in the shared file store,
/// so that any API process can take an upload's next chunk. A chunk is received into a scratch file, stored, and then
/// committed by moving the upload's offset, fenced by a short writer lease that keeps two processes from appending at the
/// same offset. Bytes that arrive before a connection drops are kept (the client resumes from there), except for a chunk
/// with a checksum, which is all or nothing.
/// </summary>
public sealed class UploadStore(Database database, IFileStore store, IOptions<VexaaOptions> options, TimeProvider time, ILogger<UploadStore> logger)
{
    /// <summary>How long a PATCH holds the upload without showing progress; a process that dies frees it this soon.</summary>
    internal static readonly TimeSpan WriterLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WriterRenewal = TimeSpan.FromSeconds(10);
    private const int BufferSize = 1 << 20;

    private const string Columns =
        "id AS Id, user_id AS UserId, length AS Length, upload_offset AS `Offset`, metadata AS Metadata, file_name AS FileName, created_at AS CreatedAt, expires_at AS ExpiresAt, completed_at AS CompletedAt, sha256 AS Sha256";

    /// <summary>Where chunks are received before they are stored: this host's own disk.</summary>
    public string ScratchDirectory => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "tmp", "uploads");

    public static string Prefix(string id) => $"uploads/{id}/";

    public async Task<Upload> CreateAsync(string userId, long length, string? metadata, string fileName, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        var upload = new Upload
        {
            Id = Ids.New(), UserId = userId, Length = length, Metadata = metadata, FileName = fileName, CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromHours(options.Value.Retention.UploadHours).Ms(), CompletedAt = length == 0 ? now : null,
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO uploads (id, user_id, length, upload_offset, metadata, file_name, created_at, expires_at, completed_at)
            VALUES (@Id, @UserId, @Length, @Offset, @Metadata, @FileName, @CreatedAt, @ExpiresAt, @CompletedAt)
            """, upload);
        return upload;
    }

    /// <summary>The user's upload, unless it does not exist, is someone else's, or has expired.</summary>
    public async Task<Upload?> GetAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (!Ids.IsValid(id))
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Upload?>(
            $"SELECT {Columns} FROM uploads WHERE id = @id AND user_id = @userId AND expires_at > @now",
            new { id, userId, now = time.NowMs() });
    }

    /// <summary>
    /// Appends <paramref name="body"/> at <paramref name="offset"/>. With <paramref name="sha1"/> the chunk is kept only if it
    /// matches; without, whatever arrived is kept even if the connection drops. Returns the outcome and the new offset.
    /// </summary>
    public async Task<(AppendOutcome Outcome, long Offset)> AppendAsync(Upload upload, long offset, Stream body, byte[]? sha1, CancellationToken cancellationToken)
    {
        var writer = Ids.New();
        if (!await ClaimAsync(upload, offset, writer))
        {
            var current = await GetAsync(upload.UserId, upload.Id, CancellationToken.None);
            return current is not null && current.Offset == offset ? (AppendOutcome.Busy, offset) : (AppendOutcome.OffsetMismatch, current?.Offset ?? upload.Offset);
        }

        Directory.CreateDirectory(ScratchDirectory);
        var scratch = Path.Combine(ScratchDirectory, $"{upload.Id}-{writer}");
        var committed = false;
        try
        {
            var (written, tooLong) = await ReceiveAsync(upload, offset, body, sha1, scratch, writer, cancellationToken);
            if (tooLong)
            {
                return (AppendOutcome.TooLong, offset);
            }

            if (written < 0)
            {
                return (AppendOutcome.ChecksumMismatch, offset);
            }

            if (written == 0)
            {
                return (AppendOutcome.Appended, offset);
            }

            var segment = new UploadSegment(offset, written, $"{Prefix(upload.Id)}{offset:D15}-{writer}");
            await store.PutFileAsync(segment.StorageKey, scratch, CancellationToken.None);
            committed = await CommitAsync(upload, segment, writer);
            if (!committed)
            {
                // The lease ran out while this chunk stalled and another request took over: its bytes are not the upload's.
                await store.DeleteAsync(segment.StorageKey, CancellationToken.None);
                var current = await GetAsync(upload.UserId, upload.Id, CancellationToken.None);
                return (AppendOutcome.OffsetMismatch, current?.Offset ?? offset);
            }

            File.Delete(scratch);
            if (offset + written == upload.Length)
            {
                await JoinFinishedAsync(upload);
            }

            return (AppendOutcome.Appended, offset + written);
        }
        finally
        {
            File.Delete(scratch);
            if (!committed)
            {
                await ReleaseAsync(upload.Id, writer);
            }
        }
    }

    /// <summary>
    /// Reads the chunk into <paramref name="scratch"/>. Returns the bytes kept (-1 for a checksum mismatch) and whether the
    /// chunk ran past the upload's length.
    /// </summary>
    private async Task<(long Written, bool TooLong)> ReceiveAsync(Upload upload, long offset, Stream body, byte[]? sha1, string scratch, string writer, CancellationToken cancellationToken)
    {
        var written = 0L;
        using var hash = sha1 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        var renewAt = time.GetUtcNow() + WriterRenewal;
        await using var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (offset + written + read > upload.Length)
                {
                    return (0, true);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                hash?.AppendData(buffer, 0, read);
                written += read;
                if (time.GetUtcNow() >= renewAt)
                {
                    await RenewAsync(upload.Id, writer);
                    renewAt = time.GetUtcNow() + WriterRenewal;
                }
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
        {
            // The server refused a body over the request's limit (what still fits, plus one byte), often before handing
            // over any of it: the chunk runs past Upload-Length, so it is no interrupted upload.
            return (0, true);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            // The client went away mid-chunk: keep what arrived, unless the chunk had to be verified whole.
            if (sha1 is not null)
            {
                return (0, false);
            }
        }

        if (sha1 is not null && hash is not null && written > 0 && !hash.GetHashAndReset().AsSpan().SequenceEqual(sha1))
        {
            return (-1, false);
        }

        await file.FlushAsync(CancellationToken.None);
        return (written, false);
    }

    private async Task<bool> ClaimAsync(Upload upload, long offset, string writer)
    {
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteAsync(
            """
            UPDATE uploads SET writer = @writer, writer_until = @until
            WHERE id = @id AND user_id = @userId AND upload_offset = @offset AND expires_at > @now
              AND (writer IS NULL OR writer_until < @now)
            """,
            new { writer, until = now + WriterLease.Ms(), id = upload.Id, userId = upload.UserId, offset, now }) == 1;
    }

    private async Task RenewAsync(string id, string writer)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE uploads SET writer_until = @until WHERE id = @id AND writer = @writer",
            new { until = time.NowMs() + WriterLease.Ms(), id, writer });
    }

    private async Task ReleaseAsync(string id, string writer)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE uploads SET writer = NULL, writer_until = NULL WHERE id = @id AND writer = @writer", new { id, writer });
    }

    /// <summary>Moves the offset and records the segment in one transaction, only while this writer still holds the upload.</summary>
    private async Task<bool> CommitAsync(Upload upload, UploadSegment segment, string writer)
    {
        var newOffset = segment.StartOffset + segment.Length;
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var moved = await connection.ExecuteAsync(
            """
            UPDATE uploads SET upload_offset = @newOffset, completed_at = CASE WHEN @newOffset = length THEN @now ELSE NULL END,
                writer = NULL, writer_until = NULL
            WHERE id = @id AND writer = @writer AND upload_offset = @offset
            """,
            new { newOffset, now = time.NowMs(), id = upload.Id, writer, offset = segment.StartOffset }, transaction);
        if (moved != 1)
        {
            return false;
        }

        await InsertSegmentAsync(connection, transaction, upload.Id, segment);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private static Task InsertSegmentAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string id, UploadSegment segment) =>
        connection.ExecuteAsync(
            "INSERT INTO upload_segments (upload_id, start_offset, length, storage_key) VALUES (@id, @StartOffset, @Length, @StorageKey)",
            new { id, segment.StartOffset, segment.Length, segment.StorageKey }, transaction);

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
    /// caller joins them with <see cref="JoinAsync"/>. Either way it then calls <see cref="DeleteStoredAsync"/>.
    /// </summary>
    public async Task<(Upload Upload, IReadOnlyList<UploadSegment> Segments)?> TakeCompletedAsync(string userId, string id, CancellationToken cancellationToken)
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
        await source.CopyToAsync(file, BufferSize, cancellationToken);
        return path;
    }

    /// <summary>Deletes an upload's stored segments (after it was taken, deleted or expired).</summary>
    public Task DeleteStoredAsync(string id, CancellationToken cancellationToken) => store.DeletePrefixAsync(Prefix(id), cancellationToken);

    public async Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id AND user_id = @userId", new { id, userId });
        if (deleted == 1)
        {
            await DeleteStoredAsync(id, CancellationToken.None);
        }

        return deleted == 1;
    }

    /// <summary>Uploads created and not yet finished or used, for all users (a metric).</summary>
    public async Task<long> PendingCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM uploads WHERE completed_at IS NULL AND expires_at > @now", new { now = time.NowMs() });
    }

    public async Task<long> InFlightBytesAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(length), 0) FROM uploads WHERE user_id = @userId", new { userId });
    }

    public async Task DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var expired = (await connection.QueryAsync<string>("SELECT id FROM uploads WHERE expires_at <= @now", new { now = time.NowMs() })).ToList();
        foreach (var id in expired)
        {
            // The row first: should deleting the objects fail, the orphan sweep finds them without a row.
            await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id", new { id });
            await DeleteStoredAsync(id, cancellationToken);
        }
    }
}
