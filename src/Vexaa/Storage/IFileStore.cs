namespace Vexaa.Storage;

/// <summary>Size and version of a stored object; the ETag changes whenever the content does.</summary>
public sealed record StoredObject(long Length, string ETag, DateTimeOffset LastModified);

/// <summary>One complete object found by a listing.</summary>
public sealed record StoredKey(string Key, DateTimeOffset LastModified);

/// <summary>
/// Where inputs and results live: a local folder by default, S3-compatible object storage when scaled out.
/// Keys are paths such as <c>results/{job}/{n}.mp3</c> that this code builds from ids, never from user input.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, streaming; the object appears whole or not at all.</summary>
    Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Stores a local file and takes it away: renamed into place on local disk, uploaded and then deleted otherwise.</summary>
    Task<StoredObject> PutFileAsync(string key, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Gives an object a new key: a rename on local disk, a copy inside the bucket on S3 (no bytes through this host for
    /// objects up to 5 GiB). The object appears whole under <paramref name="to"/> before it leaves <paramref name="from"/>.
    /// </summary>
    Task<StoredObject> MoveAsync(string from, string to, CancellationToken cancellationToken);

    Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens a stored object for reading (seekable when the store allows it), or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>A local path to read the object from: the object itself on local disk, else a downloaded copy in <paramref name="scratchDirectory"/>.</summary>
    Task<string> GetLocalCopyAsync(string key, string scratchDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// A short-lived address from which the client can download the object directly, named <paramref name="fileName"/>, or null
    /// when downloads stream through this server.
    /// </summary>
    Task<Uri?> GetDownloadUrlAsync(string key, string fileName, string contentType, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Every complete object under the folder <paramref name="prefix"/> (which ends in '/'); writes still in progress are
    /// not listed. The order is unspecified.
    /// </summary>
    IAsyncEnumerable<StoredKey> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what writes cut short by a crash left behind (temporary files, unfinished multipart uploads) once they are
    /// older than <paramref name="olderThan"/>, so nothing still being written is touched. Returns how many were removed.
    /// </summary>
    Task<int> DeleteIncompleteAsync(TimeSpan olderThan, CancellationToken cancellationToken);

    /// <summary>True when the store can be written and read now (for readiness checks).</summary>
    Task<bool> IsHealthyAsync(CancellationToken cancellationToken);
}
