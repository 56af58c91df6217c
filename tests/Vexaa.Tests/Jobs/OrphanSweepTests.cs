using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Storage;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Jobs;

/// <summary>Files with no job row are found and removed, on local disk and on S3; files of real jobs and fresh writes stay.</summary>
public abstract class OrphanSweepTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _dir = new();
    private readonly JobQueue _queue;

    protected OrphanSweepTests()
    {
        var database = Database.Sqlite(Path.Combine(_dir.Path, "vexaa.db"));
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(None).GetAwaiter().GetResult();
        using (var connection = database.OpenAsync(None).GetAwaiter().GetResult())
        {
            Dapper.SqlMapper.Execute(connection, "INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        _queue = new JobQueue(database, TimeProvider.System);
    }

    protected abstract IFileStore Store { get; }

    protected string TempPath => _dir.Path;

    private async Task<string> EnqueueAsync()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var job = new Job
        {
            Id = Ids.New(), UserId = "u", State = JobState.Queued, OptionsJson = "{}", InputKey = "", InputName = "in.mp4",
            MaxAttempts = 3, RunAfter = now, CreatedAt = now, UpdatedAt = now,
        };
        job = job with { InputKey = JobFiles.InputKey(job.Id) };
        await _queue.EnqueueAsync(job, None);
        return job.Id;
    }

    private async Task PutAsync(string key) => await Store.PutAsync(key, new MemoryStream([1, 2, 3]), None);

    private async Task<List<string>> KeysAsync() => [.. (await Store.ListAsync("jobs/", None).ToListAsync()).Select(k => k.Key).Order(StringComparer.Ordinal)];

    [Fact(Timeout = 60_000)]
    public async Task Files_without_a_job_are_removed_once_old_and_nothing_else_is()
    {
        var real = await EnqueueAsync();
        var orphan = Ids.New();
        var young = Ids.New();
        await PutAsync(JobFiles.InputKey(real));
        await PutAsync(JobFiles.ResultsPrefix(real, 7) + "0.mp3");
        await PutAsync(JobFiles.InputKey(orphan));
        await PutAsync(JobFiles.ResultsPrefix(orphan, 3) + "0.mp3");
        await PutAsync("jobs/not-an-id/input");
        // Real time here: the store stamps objects with it. The age is short so the test need not wait an hour.
        var sweep = new OrphanSweep(_queue, Store, TimeProvider.System, NullLogger<OrphanSweep>.Instance) { MinimumAge = TimeSpan.FromSeconds(3) };

        // Nothing is old enough yet: a submission may be between storing its input and writing its row.
        Assert.Equal(0, await sweep.RunAsync(None));
        Assert.Equal(5, (await KeysAsync()).Count);

        await Task.Delay(TimeSpan.FromSeconds(4));
        await PutAsync(JobFiles.InputKey(young));
        Assert.Equal(1, await sweep.RunAsync(None));

        Assert.Equal(
            new[] { JobFiles.InputKey(real), JobFiles.ResultsPrefix(real, 7) + "0.mp3", JobFiles.InputKey(young), "jobs/not-an-id/input" }.Order(StringComparer.Ordinal),
            await KeysAsync());
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
        var removed = await new OrphanSweep(_queue, Store, later, NullLogger<OrphanSweep>.Instance) { BatchSize = 5 }.RunAsync(None);

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
