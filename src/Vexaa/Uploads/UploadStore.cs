using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
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
public sealed partial class UploadStore(Database database, IFileStore store, IOptions<DataOptions> data, IOptions<RetentionOptions> retention, TimeProvider time, ILogger<UploadStore> logger)
{
    /// <summary>How long a PATCH holds the upload without showing progress; a process that dies frees it this soon.</summary>
    internal static readonly TimeSpan WriterLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WriterRenewal = TimeSpan.FromSeconds(10);
    private const int BufferSize = 1 << 20;

    private const string Columns =
        "id AS Id, user_id AS UserId, length AS Length, upload_offset AS `Offset`, metadata AS Metadata, file_name AS FileName, created_at AS CreatedAt, expires_at AS ExpiresAt, completed_at AS CompletedAt, sha256 AS Sha256";

    /// <summary>Where chunks are received before they are stored: this host's own disk.</summary>
    public string ScratchDirectory => data.Value.Scratch("uploads");

    public static string Prefix(string id) => $"uploads/{id}/";

    public async Task<Upload> CreateAsync(string userId, long length, string? metadata, string fileName, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        var upload = new Upload
        {
            Id = Ids.New(), UserId = userId, Length = length, Metadata = metadata, FileName = fileName, CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromHours(retention.Value.UploadHours).Ms(), CompletedAt = length == 0 ? now : null,
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
