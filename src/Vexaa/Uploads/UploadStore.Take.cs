namespace Vexaa.Uploads;

/// <summary>What a finished upload became when it was taken as a job's input.</summary>
public sealed record TakenUpload(string FileName, long Size, string Sha256);

/// <summary>Handing a finished upload over as one stored object: the uploads feature's side of "make a job from an upload".</summary>
public sealed partial class UploadStore
{
    /// <summary>
    /// Takes a finished upload of <paramref name="userId"/> and stores its bytes as one object under
    /// <paramref name="targetKey"/>, in one call: the upload leaves the table (so it cannot be used twice), a joined upload
    /// is moved and any other is joined on the way (hashed, read once), and what is left of it in storage is deleted
    /// whether or not that succeeded. Null when there is no such finished upload (unfinished, expired, already used, or
    /// someone else's); then nothing was changed.
    /// </summary>
    public async Task<TakenUpload?> TakeAsInputAsync(string userId, string id, string targetKey, CancellationToken cancellationToken)
    {
        if (await TakeCompletedAsync(userId, id, cancellationToken) is not var (upload, segments))
        {
            return null;
        }

        try
        {
            if (upload.Sha256 is { } joined && segments is [var whole])
            {
                // Joined into one object when its last chunk arrived: it becomes the input without being read again.
                await store.MoveAsync(whole.StorageKey, targetKey, cancellationToken);
                return new TakenUpload(upload.FileName, upload.Length, joined);
            }

            // The chunks become one stored input, hashed on the way, so the bytes are read once.
            return new TakenUpload(upload.FileName, upload.Length, await JoinAsync(upload, segments, targetKey, cancellationToken));
        }
        finally
        {
            await DeleteStoredAsync(upload.Id, CancellationToken.None);
        }
    }
}
