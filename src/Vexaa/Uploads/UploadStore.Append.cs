using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Storage;

namespace Vexaa.Uploads;

/// <summary>The chunk-append protocol: receive a PATCH into scratch, store it as a segment, commit it under the upload's writer lease.</summary>
public sealed partial class UploadStore
{
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
            try
            {
                await store.PutFileAsync(segment.StorageKey, scratch, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException)
            {
                // A move to another disk is a copy, which a full disk cuts short: no part of the chunk may stay.
                await store.DeleteAsync(segment.StorageKey, CancellationToken.None);
                throw;
            }

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
            while ((read = await ReadAsync(body, buffer, cancellationToken)) > 0)
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
        catch (UploadTooLargeException)
        {
            // The host refused a body over the request's limit (what still fits, plus one byte), often before handing
            // over any of it: the chunk runs past Upload-Length, so it is no interrupted upload.
            return (0, true);
        }
        catch (ClientGone)
        {
            // The client went away mid-chunk: keep what arrived, unless the chunk had to be verified whole.
            if (sha1 is not null)
            {
                return (0, false);
            }
        }

        // A write that fails (the disk is full) is not caught above: the chunk is then kept not at all, and the offset
        // stays where it was, so the client can send it again once there is room.

        if (sha1 is not null && hash is not null && written > 0 && !hash.GetHashAndReset().AsSpan().SequenceEqual(sha1))
        {
            return (-1, false);
        }

        await file.FlushAsync(CancellationToken.None);
        return (written, false);
    }

    /// <summary>Reads the request body; its failures (the client went away) become <see cref="ClientGone"/>, unlike the scratch file's.</summary>
    private static async ValueTask<int> ReadAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is (IOException and not UploadTooLargeException) or OperationCanceledException)
        {
            throw new ClientGone(e);
        }
    }

    private sealed class ClientGone(Exception inner) : Exception("The client went away mid-chunk.", inner);

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
}
