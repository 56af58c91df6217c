using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Data;
using Vexaa.Storage;
using Vexaa.Tests.Support;
using Vexaa.Uploads;

namespace Vexaa.Tests.Uploads;

/// <summary>On the embedded database.</summary>
public sealed class SqliteUploadStoreTests() : UploadStoreTests(dir => Database.Sqlite(dir));

/// <summary>On a real MariaDB, as several API processes share it.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbUploadStoreTests(MariaDbServer mariadb)
    : UploadStoreTests(_ => Database.MySql(mariadb.CreateDatabaseAsync().GetAwaiter().GetResult()));

/// <summary>
/// Resumable uploads kept as one stored segment per PATCH: read back whole, and never two writers at one offset, even when
/// one of them stalls past its lease.
/// </summary>
public abstract class UploadStoreTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly UploadStore _uploads;
    private readonly LocalFileStore _store;
    private readonly Database _database;

    protected UploadStoreTests(Func<string, Database> open)
    {
        var database = _database = open(Path.Combine(_dir.Path, "db"));
        new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(None).GetAwaiter().GetResult();
        using (var connection = database.OpenAsync(None).GetAwaiter().GetResult())
        {
            Dapper.SqlMapper.Execute(connection, "INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        _store = new LocalFileStore(Path.Combine(_dir.Path, "files"));
        _uploads = new UploadStore(database, _store, Microsoft.Extensions.Options.Options.Create(new DataOptions { DataDirectory = _dir.Path }), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), _clock, NullLogger<UploadStore>.Instance);
    }

    private async Task<byte[]> ReadTakenAsync(string id)
    {
        var key = "jobs/taken-" + id + "/input";
        var taken = await _uploads.TakeAsInputAsync("u", id, key, None);
        Assert.NotNull(taken);
        await using (var stream = await _store.OpenReadAsync(key, None))
        {
            Assert.NotNull(stream);
            var all = new MemoryStream();
            await stream.CopyToAsync(all);
            Assert.Equal(Bytes.Sha256(all.ToArray()), taken.Sha256);
            await _store.DeletePrefixAsync("jobs/taken-" + id + "/", None);
            return all.ToArray();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Chunks_sent_one_by_one_read_back_as_the_whole_file_and_leave_nothing_behind()
    {
        var bytes = Bytes.Random(700_000, seed: 3);
        var upload = await _uploads.CreateAsync("u", bytes.Length, null, "a.mp4", None);
        var offset = 0L;
        foreach (var size in new[] { 100_000, 250_000, 1, 349_999 })
        {
            var (outcome, next) = await _uploads.AppendAsync(upload, offset, new MemoryStream(bytes, (int)offset, size), null, None);
            Assert.Equal((AppendOutcome.Appended, offset + size), (outcome, next));
            offset = next;
        }

        // The last chunk joined the four into one object, hashed: the probe reads it in place, the job will move it.
        var finished = await _uploads.GetAsync("u", upload.Id, None);
        Assert.NotNull(finished!.CompletedAt);
        Assert.Equal(Bytes.Sha256(bytes), finished.Sha256);
        Assert.Single(await _store.ListAsync("uploads/", None).ToListAsync());
        using (var scratch = new TempDir())
        {
            var path = await _uploads.GetLocalCopyAsync(finished, scratch.Path, None);
            Assert.StartsWith(Path.Combine(_dir.Path, "files", "uploads", upload.Id), path);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
            Assert.Empty(Directory.GetFileSystemEntries(scratch.Path));
        }

        Assert.Equal(bytes, await ReadTakenAsync(upload.Id));
        Assert.Null(await _uploads.GetAsync("u", upload.Id, None));
        Assert.Empty(await _store.ListAsync("uploads/", None).ToListAsync());
        Assert.Empty(Directory.GetFileSystemEntries(_uploads.ScratchDirectory));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_one_chunk_upload_is_probed_in_place_on_local_disk()
    {
        var upload = await _uploads.CreateAsync("u", 3, null, "a.mp4", None);
        await _uploads.AppendAsync(upload, 0, new MemoryStream([7, 8, 9]), null, None);
        using var scratch = new TempDir();

        var path = await _uploads.GetLocalCopyAsync((await _uploads.GetAsync("u", upload.Id, None))!, scratch.Path, None);

        Assert.StartsWith(Path.Combine(_dir.Path, "files", "uploads", upload.Id), path);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Path));
    }

    [Fact(Timeout = 60_000)]
    public async Task While_one_request_writes_a_second_at_the_same_offset_is_told_busy()
    {
        var upload = await _uploads.CreateAsync("u", 10, null, "a.mp4", None);
        var slow = new GatedStream([1, 2, 3], [4, 5]);
        var first = _uploads.AppendAsync(upload, 0, slow, null, None);
        await slow.FirstPartRead;

        Assert.Equal((AppendOutcome.Busy, 0L), await _uploads.AppendAsync(upload, 0, new MemoryStream([9, 9, 9]), null, None));

        slow.Release();
        Assert.Equal((AppendOutcome.Appended, 5L), await first);
        Assert.Equal((AppendOutcome.OffsetMismatch, 5L), await _uploads.AppendAsync(upload, 0, new MemoryStream([9]), null, None));
        Assert.Equal((AppendOutcome.Appended, 10L), await _uploads.AppendAsync(upload, 5, new MemoryStream([6, 7, 8, 9, 10]), null, None));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, await ReadTakenAsync(upload.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_writer_that_stalled_past_its_lease_cannot_commit_over_the_one_that_took_over()
    {
        var upload = await _uploads.CreateAsync("u", 6, null, "a.mp4", None);
        var stalled = new GatedStream([1, 1, 1], [1]);
        var late = _uploads.AppendAsync(upload, 0, stalled, null, None);
        await stalled.FirstPartRead;

        // Its process is presumed dead once the lease has run out: another request may write at the same offset.
        _clock.Advance(UploadStore.WriterLease + TimeSpan.FromSeconds(1));
        Assert.Equal((AppendOutcome.Appended, 6L), await _uploads.AppendAsync(upload, 0, new MemoryStream([2, 2, 2, 2, 2, 2]), null, None));

        stalled.Release();
        Assert.Equal((AppendOutcome.OffsetMismatch, 6L), await late);
        Assert.Equal(new byte[] { 2, 2, 2, 2, 2, 2 }, await ReadTakenAsync(upload.Id));
        Assert.Empty(await _store.ListAsync("uploads/", None).ToListAsync());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_dropped_connection_keeps_what_arrived_and_a_bad_checksum_keeps_nothing()
    {
        var upload = await _uploads.CreateAsync("u", 10, null, "a.mp4", None);
        Assert.Equal((AppendOutcome.Appended, 3L), await _uploads.AppendAsync(upload, 0, new BreakingStream([1, 2, 3]), null, None));

        var wrong = System.Security.Cryptography.SHA1.HashData(new byte[] { 0 });
        Assert.Equal((AppendOutcome.ChecksumMismatch, 3L), await _uploads.AppendAsync(upload, 3, new MemoryStream([4, 5]), wrong, None));
        Assert.Equal((AppendOutcome.TooLong, 3L), await _uploads.AppendAsync(upload, 3, new MemoryStream(new byte[8]), null, None));
        Assert.Equal(3, (await _uploads.GetAsync("u", upload.Id, None))!.Offset);
        Assert.Single(await _store.ListAsync("uploads/", None).ToListAsync());
        Assert.Empty(Directory.GetFileSystemEntries(_uploads.ScratchDirectory));
    }

    [Fact(Timeout = 60_000)]
    public async Task When_the_chunks_cannot_be_joined_the_upload_is_still_complete_and_read_chunk_by_chunk()
    {
        // Storage refuses the joined object (say, the bucket is briefly unavailable): the chunks themselves are safe.
        var failing = new RefusingStore(_store, key => key.Contains("/whole-", StringComparison.Ordinal));
        var uploads = new UploadStore(_database, failing, Microsoft.Extensions.Options.Options.Create(new DataOptions { DataDirectory = _dir.Path }), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), _clock, NullLogger<UploadStore>.Instance);
        var upload = await uploads.CreateAsync("u", 6, null, "a.mp4", None);
        await uploads.AppendAsync(upload, 0, new MemoryStream([1, 2, 3]), null, None);

        Assert.Equal((AppendOutcome.Appended, 6L), await uploads.AppendAsync(upload, 3, new MemoryStream([4, 5, 6]), null, None));

        var finished = await uploads.GetAsync("u", upload.Id, None);
        Assert.NotNull(finished!.CompletedAt);
        Assert.Null(finished.Sha256);
        // Taking it joins the two chunks on the way into the job's input, hashed as they are read.
        var taken = await uploads.TakeAsInputAsync("u", upload.Id, "jobs/j/input", None);
        await using var stream = await _store.OpenReadAsync("jobs/j/input", None);
        var all = new MemoryStream();
        await stream!.CopyToAsync(all);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, all.ToArray());
        Assert.Equal(Bytes.Sha256(all.ToArray()), taken!.Sha256);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_finished_upload_becomes_a_stored_input_in_one_call_and_cannot_be_taken_twice()
    {
        var bytes = Bytes.Random(300_000, seed: 5);
        var upload = await _uploads.CreateAsync("u", bytes.Length, null, "a.mp4", None);
        await _uploads.AppendAsync(upload, 0, new MemoryStream(bytes, 0, 100_000), null, None);
        await _uploads.AppendAsync(upload, 100_000, new MemoryStream(bytes, 100_000, 200_000), null, None);

        var taken = await _uploads.TakeAsInputAsync("u", upload.Id, "jobs/j/input", None);

        Assert.Equal(new TakenUpload("a.mp4", bytes.Length, Bytes.Sha256(bytes)), taken);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "files", "jobs", "j", "input")));
        Assert.Empty(await _store.ListAsync("uploads/", None).ToListAsync());
        Assert.Null(await _uploads.TakeAsInputAsync("u", upload.Id, "jobs/k/input", None));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_upload_whose_chunks_were_never_joined_is_joined_into_the_input_when_taken()
    {
        var failing = new RefusingStore(_store, key => key.Contains("/whole-", StringComparison.Ordinal));
        var uploads = new UploadStore(_database, failing, Microsoft.Extensions.Options.Options.Create(new DataOptions { DataDirectory = _dir.Path }), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), _clock, NullLogger<UploadStore>.Instance);
        var upload = await uploads.CreateAsync("u", 6, null, "a.mp4", None);
        await uploads.AppendAsync(upload, 0, new MemoryStream([1, 2, 3]), null, None);
        await uploads.AppendAsync(upload, 3, new MemoryStream([4, 5, 6]), null, None);

        var taken = await uploads.TakeAsInputAsync("u", upload.Id, "jobs/j/input", None);

        Assert.Equal(Bytes.Sha256([1, 2, 3, 4, 5, 6]), taken!.Sha256);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, await File.ReadAllBytesAsync(Path.Combine(_dir.Path, "files", "jobs", "j", "input")));
        Assert.Empty(await _store.ListAsync("uploads/", None).ToListAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A request body that sends its first part, then waits until released before sending the rest.</summary>
    private sealed class GatedStream(byte[] first, byte[] rest) : ForwardOnlyStream
    {
        private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _step;

        public Task FirstPartRead => _firstRead.Task;

        public void Release() => _released.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            switch (_step++)
            {
                case 0:
                    first.CopyTo(buffer);
                    _firstRead.TrySetResult();
                    return first.Length;
                case 1:
                    await _released.Task.WaitAsync(cancellationToken);
                    rest.CopyTo(buffer);
                    return rest.Length;
                default:
                    return 0;
            }
        }

    }

    /// <summary>A request body whose connection drops after some bytes.</summary>
    private sealed class BreakingStream(byte[] sent) : ForwardOnlyStream
    {
        private bool _sent;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent)
            {
                throw new IOException("The client reset the connection.");
            }

            _sent = true;
            sent.CopyTo(buffer);
            return ValueTask.FromResult(sent.Length);
        }

    }

    /// <summary>The local store, except that it refuses to store some keys, as a failing service would.</summary>
    private sealed class RefusingStore(LocalFileStore inner, Func<string, bool> refuse) : IFileStore
    {
        public Task<StoredObject> PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
            refuse(key) ? throw new IOException("Storage is unavailable.") : inner.PutAsync(key, content, cancellationToken);

        public Task<StoredObject> PutFileAsync(string key, string path, CancellationToken cancellationToken) =>
            refuse(key) ? throw new IOException("Storage is unavailable.") : inner.PutFileAsync(key, path, cancellationToken);

        public Task<StoredObject> MoveAsync(string from, string to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);
        public Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken) => inner.StatAsync(key, cancellationToken);
        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);
        public Task<string> GetLocalCopyAsync(string key, string scratchDirectory, CancellationToken cancellationToken) => inner.GetLocalCopyAsync(key, scratchDirectory, cancellationToken);
        public Task<Uri?> GetDownloadUrlAsync(string key, string fileName, string contentType, CancellationToken cancellationToken) => inner.GetDownloadUrlAsync(key, fileName, contentType, cancellationToken);
        public IAsyncEnumerable<StoredKey> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);
        public Task DeleteAsync(string key, CancellationToken cancellationToken) => inner.DeleteAsync(key, cancellationToken);
        public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken) => inner.DeletePrefixAsync(prefix, cancellationToken);
        public Task<int> DeleteIncompleteAsync(TimeSpan olderThan, CancellationToken cancellationToken) => inner.DeleteIncompleteAsync(olderThan, cancellationToken);
        public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => inner.IsHealthyAsync(cancellationToken);
    }
}
