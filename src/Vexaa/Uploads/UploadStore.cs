using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Hosting;

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
}

/// <summary>Why a chunk was not accepted.</summary>
public enum AppendOutcome { Appended, OffsetMismatch, TooLong, ChecksumMismatch, Busy }

/// <summary>
/// Stores tus uploads: a row per upload and its bytes in a file under the data folder, written in place at the
/// offset. Bytes that arrive before a connection drops are kept (the client resumes from there), except for a
/// chunk with a checksum, which is all or nothing.
/// </summary>
public sealed class UploadStore(Database database, IOptions<VexaaOptions> options, TimeProvider time)
{
    private const int BufferSize = 1 << 20;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    private string Root => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "uploads");

    public string PathFor(string id) => Path.Combine(Root, id);

    public async Task<Upload> CreateAsync(string userId, long length, string? metadata, string fileName, CancellationToken cancellationToken)
    {
        var now = time.NowMs();
        var upload = new Upload
        {
            Id = Ids.New(), UserId = userId, Length = length, Metadata = metadata, FileName = fileName, CreatedAt = now,
            ExpiresAt = now + TimeSpan.FromHours(options.Value.Retention.UploadHours).Ms(), CompletedAt = length == 0 ? now : null,
        };
        Directory.CreateDirectory(Root);
        await File.WriteAllBytesAsync(PathFor(upload.Id), [], cancellationToken);
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
            """SELECT id AS Id, user_id AS UserId, length AS Length, upload_offset AS Offset, metadata AS Metadata, file_name AS FileName, created_at AS CreatedAt, expires_at AS ExpiresAt, completed_at AS CompletedAt FROM uploads WHERE id = @id AND user_id = @userId AND expires_at > @now""",
            new { id, userId, now = time.NowMs() });
    }

    /// <summary>
    /// Appends <paramref name="body"/> at <paramref name="offset"/>. With <paramref name="sha1"/> the chunk is kept only if it
    /// matches; without, whatever arrived is kept even if the connection drops. Returns the outcome and the new offset.
    /// </summary>
    public async Task<(AppendOutcome Outcome, long Offset)> AppendAsync(Upload upload, long offset, Stream body, byte[]? sha1, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(upload.Id, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return (AppendOutcome.Busy, upload.Offset);
        }

        try
        {
            var current = await GetAsync(upload.UserId, upload.Id, CancellationToken.None);
            if (current is null || current.Offset != offset)
            {
                return (AppendOutcome.OffsetMismatch, current?.Offset ?? upload.Offset);
            }

            var written = 0L;
            var tooLong = false;
            using var hash = sha1 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            await using (var file = new FileStream(PathFor(upload.Id), FileMode.Open, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                file.SetLength(offset);
                file.Seek(offset, SeekOrigin.Begin);
                var buffer = new byte[81920];
                try
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        if (offset + written + read > upload.Length)
                        {
                            tooLong = true;
                            break;
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                        hash?.AppendData(buffer, 0, read);
                        written += read;
                    }
                }
                catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
                {
                    // The server refused a body over the request's limit (what still fits, plus one byte), often before
                    // handing over any of it: the chunk runs past Upload-Length, so it is no interrupted upload.
                    tooLong = true;
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
                {
                    // The client went away mid-chunk: keep what arrived, unless the chunk had to be verified whole.
                    if (sha1 is not null)
                    {
                        written = 0;
                    }
                }

                if (tooLong || (sha1 is not null && hash is not null && written > 0 && !hash.GetHashAndReset().AsSpan().SequenceEqual(sha1)))
                {
                    file.SetLength(offset);
                    return (tooLong ? AppendOutcome.TooLong : AppendOutcome.ChecksumMismatch, offset);
                }

                file.SetLength(offset + written);
                await file.FlushAsync(CancellationToken.None);
            }

            var newOffset = offset + written;
            var now = time.NowMs();
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(
                """UPDATE uploads SET upload_offset = @newOffset, completed_at = CASE WHEN @newOffset = length THEN @now ELSE NULL END WHERE id = @id AND upload_offset = @offset""",
                new { newOffset, now, id = upload.Id, offset });
            return (AppendOutcome.Appended, newOffset);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Removes a completed upload from the table and hands its file over (for a new job); null if not complete or not found.</summary>
    public async Task<(Upload Upload, string Path)?> TakeCompletedAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var upload = await GetAsync(userId, id, cancellationToken);
        if (upload is not { CompletedAt: not null })
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id AND user_id = @userId AND completed_at IS NOT NULL", new { id, userId });
        return taken == 1 ? (upload, PathFor(id)) : null;
    }

    public async Task<bool> DeleteAsync(string userId, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id AND user_id = @userId", new { id, userId });
        if (deleted == 1)
        {
            File.Delete(PathFor(id));
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
            File.Delete(PathFor(id));
            await connection.ExecuteAsync("DELETE FROM uploads WHERE id = @id", new { id });
        }
    }
}
