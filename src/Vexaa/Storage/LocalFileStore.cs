using System.Globalization;

namespace Vexaa.Storage;

/// <summary>Objects as files under one folder. Writes go to a temporary name and are renamed into place.</summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    private const int BufferSize = 1 << 20;
    private const string PartMarker = ".part-";

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + PartMarker + Ids.New();
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                await OverlappedCopy.CopyAsync(content, file, BufferSize, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return ToStoredObject(new FileInfo(path));
    }

    public Task<StoredObject> PutFileAsync(string key, string path, CancellationToken cancellationToken)
    {
        var target = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(path, target, overwrite: true);
        return Task.FromResult(ToStoredObject(new FileInfo(target)));
    }

    public Task<StoredObject> MoveAsync(string from, string to, CancellationToken cancellationToken)
    {
        var target = PathFor(to);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(PathFor(from), target, overwrite: true);
        return Task.FromResult(ToStoredObject(new FileInfo(target)));
    }

    public Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathFor(key));
        return Task.FromResult(file.Exists ? ToStoredObject(file) : null);
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task<string> GetLocalCopyAsync(string key, string scratchDirectory, CancellationToken cancellationToken)
    {
        var path = PathFor(key);
        return File.Exists(path) ? Task.FromResult(path) : throw new FileNotFoundException($"Stored object '{key}' is missing.");
    }

    public Task<Uri?> GetDownloadUrlAsync(string key, string fileName, string contentType, CancellationToken cancellationToken) =>
        Task.FromResult<Uri?>(null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<StoredKey> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        if (!prefix.EndsWith('/'))
        {
            throw new ArgumentException($"Listing prefix '{prefix}' is not a folder (it must end in '/').", nameof(prefix));
        }

        var folder = PathFor(prefix.TrimEnd('/'));
        var files = Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
            : [];
        // Temporary files are writes in progress (or cut short, which DeleteIncompleteAsync handles), not objects yet.
        return files
            .Where(f => !f.Name.Contains(PartMarker, StringComparison.Ordinal))
            .Select(f => new StoredKey(Path.GetRelativePath(Root, f.FullName).Replace(Path.DirectorySeparatorChar, '/'), new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
            .ToAsyncEnumerable();
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var path = PathFor(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteIncompleteAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        // A process killed inside PutAsync leaves its temporary file, and for an upload that never became a job no one
        // else will ever delete the folder it is in.
        var removed = 0;
        if (!Directory.Exists(Root))
        {
            return Task.FromResult(removed);
        }

        foreach (var file in Directory.EnumerateFiles(Root, "*" + PartMarker + "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) <= olderThan)
            {
                continue;
            }

            File.Delete(file);
            removed++;
            var folder = Path.GetDirectoryName(file)!;
            if (folder != Root && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        return Task.FromResult(removed);
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Root);
            var probe = Path.Combine(Root, ".ready-" + Ids.New());
            await File.WriteAllTextAsync(probe, "ok", cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal string PathFor(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, key));
        // Keys are built from ids, but a store must never be talked out of its folder.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Storage key '{key}' leaves the storage folder.", nameof(key));
        }

        return path;
    }

    private static StoredObject ToStoredObject(FileInfo file) =>
        new(file.Length,
            "\"" + file.Length.ToString("x", CultureInfo.InvariantCulture) + "-" + file.LastWriteTimeUtc.Ticks.ToString("x", CultureInfo.InvariantCulture) + "\"",
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero));
}
