using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Storage;
using Vexaa.Tests.Support;
using Vexaa.Uploads;

namespace Vexaa.Tests.Jobs;

/// <summary>
/// Files with no job or upload row are found and removed, on local disk and on S3; files of real jobs and uploads and fresh
/// writes stay.
/// </summary>
public abstract class OrphanSweepTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();
    private readonly Database _database;
    private readonly JobQueue _queue;
    private UploadStore? _uploads;

    protected OrphanSweepTests()
    {
        _database = Database.Sqlite(Path.Combine(_dir.Path, "db"));
        new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(None).GetAwaiter().GetResult();
        using (var connection = _database.OpenAsync(None).GetAwaiter().GetResult())
        {
            Dapper.SqlMapper.Execute(connection, "INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        _queue = new JobQueue(_database, TimeProvider.System);
    }

    protected abstract IFileStore Store { get; }

    protected string TempPath => _dir.Path;

    private UploadStore Uploads => _uploads ??= new UploadStore(
        _database, Store, Microsoft.Extensions.Options.Options.Create(new DataOptions { DataDirectory = _dir.Path }), Microsoft.Extensions.Options.Options.Create(new RetentionOptions()), TimeProvider.System, NullLogger<UploadStore>.Instance);

    private async Task<string> EnqueueAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = Ids.New();
        await _queue.EnqueueAsync(new Job
        {
            Id = id, UserId = "u", State = JobState.Queued, OptionsJson = "{}", InputKey = JobFiles.InputKey(id), InputName = "in.mp4",
            MaxAttempts = 3, RunAfter = now, CreatedAt = now, UpdatedAt = now,
        }, None);
        return id;
    }

    private async Task PutAsync(string key) => await Store.PutAsync(key, new MemoryStream([1, 2, 3]), None);

    private async Task<List<string>> KeysAsync(string folder = "jobs/") =>
        [.. (await Store.ListAsync(folder, None).ToListAsync()).Select(k => k.Key).Order(StringComparer.Ordinal)];

    [Fact(Timeout = 60_000)]
    public async Task Files_without_a_job_or_upload_are_removed_once_old_and_nothing_else_is()
    {
        var real = await EnqueueAsync();
        var orphan = Ids.New();
        var young = Ids.New();
        await PutAsync(JobFiles.InputKey(real));
        await PutAsync(JobFiles.ResultsPrefix(real, 7) + "0.mp3");
        await PutAsync(JobFiles.InputKey(orphan));
        await PutAsync(JobFiles.ResultsPrefix(orphan, 3) + "0.mp3");
        await PutAsync("jobs/not-an-id/input");
        var upload = await Uploads.CreateAsync("u", 10, null, "a.mp4", None);
        Assert.Equal(AppendOutcome.Appended, (await Uploads.AppendAsync(upload, 0, new MemoryStream([1, 2, 3]), null, None)).Outcome);
        var orphanUpload = Ids.New();
        await PutAsync(UploadStore.Prefix(orphanUpload) + "000000000000000-x");
        // Real time here: the store stamps objects with it. The age is short so the test need not wait an hour.
        var sweep = new OrphanSweep(_database, Store, TimeProvider.System, NullLogger<OrphanSweep>.Instance) { MinimumAge = TimeSpan.FromSeconds(3) };

        // Nothing is old enough yet: a submission may be between storing its input and writing its row.
        Assert.Equal(0, await sweep.RunAsync(None));
        Assert.Equal(5, (await KeysAsync()).Count);
        Assert.Equal(2, (await KeysAsync("uploads/")).Count);

        await Task.Delay(TimeSpan.FromSeconds(4));
        await PutAsync(JobFiles.InputKey(young));
        Assert.Equal(2, await sweep.RunAsync(None));

        Assert.Equal(
            new[] { JobFiles.InputKey(real), JobFiles.ResultsPrefix(real, 7) + "0.mp3", JobFiles.InputKey(young), "jobs/not-an-id/input" }.Order(StringComparer.Ordinal),
            await KeysAsync());
        Assert.StartsWith(UploadStore.Prefix(upload.Id), Assert.Single(await KeysAsync("uploads/")));
        Assert.Equal(0, await sweep.RunAsync(None));
    }

    [Fact(Timeout = 60_000)]
    public async Task Many_orphans_are_removed_across_batches_and_listing_pages()
    {
        var orphans = Enumerable.Range(0, 23).Select(_ => Ids.New()).ToList();
        var real = await EnqueueAsync();
        foreach (var id in orphans.Append(real))
        {
            await PutAsync(JobFiles.InputKey(id));
        }

        // An hour and more later, by the sweep's clock.
        var later = new ManualClock(DateTimeOffset.UtcNow.AddMinutes(65));
        var removed = await new OrphanSweep(_database, Store, later, NullLogger<OrphanSweep>.Instance) { BatchSize = 5 }.RunAsync(None);

        Assert.Equal(23, removed);
        Assert.Equal([JobFiles.InputKey(real)], await KeysAsync());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class LocalOrphanSweepTests : OrphanSweepTests
{
    private LocalFileStore? _store;

    protected override IFileStore Store => _store ??= new LocalFileStore(Path.Combine(TempPath, "files"));

    [Fact]
    public async Task A_write_in_progress_is_not_listed()
    {
        await Store.PutAsync("jobs/a/input", new MemoryStream([1]), CancellationToken.None);
        var part = Path.Combine(TempPath, "files", "jobs", "b", "input.part-123");
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        await File.WriteAllBytesAsync(part, [1]);

        Assert.Equal(["jobs/a/input"], (await Store.ListAsync("jobs/", CancellationToken.None).ToListAsync()).Select(k => k.Key));
        Assert.Empty(await Store.ListAsync("nothing/", CancellationToken.None).ToListAsync());
    }
}

[Collection(S3Collection.Name)]
public sealed class S3OrphanSweepTests(S3Server s3) : OrphanSweepTests
{
    private S3FileStore? _store;

    // Its own bucket, so other tests' objects are not swept; pages of 4 so listings cross page boundaries.
    protected override IFileStore Store => _store ??= new S3FileStore(s3.Options(s3.CreateBucketAsync().GetAwaiter().GetResult()), NullLogger<S3FileStore>.Instance) { ListPageSize = 4 };
}
