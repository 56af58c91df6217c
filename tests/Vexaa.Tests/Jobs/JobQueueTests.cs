using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Jobs;

/// <summary>On the embedded database.</summary>
public sealed class SqliteJobQueueTests : JobQueueTests, IDisposable
{
    private static readonly TempDir Dir = new();

    public SqliteJobQueueTests()
        : base(Database.Sqlite(Path.Combine(Dir.Path, Guid.NewGuid().ToString("N"))))
    {
    }

    public void Dispose() => Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
}

/// <summary>On a real MariaDB, where claims use FOR UPDATE SKIP LOCKED.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbJobQueueTests(MariaDbServer mariadb)
    : JobQueueTests(Database.MySql(mariadb.CreateDatabaseAsync().GetAwaiter().GetResult()));

/// <summary>The queue's guarantees, on each real database: one claimer per job, fenced writes, counted attempts.</summary>
public abstract class JobQueueTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly Database _database;
    private readonly JobQueue _queue;
    private readonly UserJobs _jobs;

    protected JobQueueTests(Database database)
    {
        _database = database;
        new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var connection = _database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            Dapper.SqlMapper.Execute(connection, "INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        _queue = new JobQueue(_database, _clock);
        _jobs = new UserJobs(_database, _clock);
    }

    private async Task<string> EnqueueAsync(int maxAttempts = 3)
    {
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var job = new Job
        {
            Id = Vexaa.Ids.New(), UserId = "u", State = JobState.Queued, OptionsJson = "{}", InputKey = "k", InputName = "in.mp4",
            MaxAttempts = maxAttempts, RunAfter = now, CreatedAt = now, UpdatedAt = now,
        };
        await _queue.EnqueueAsync(job, CancellationToken.None);
        return job.Id;
    }

    [Fact(Timeout = 60_000)]
    public async Task Concurrent_claimers_never_get_the_same_job()
    {
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add(await EnqueueAsync());
        }

        var claimed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            while (await _queue.ClaimAsync($"worker-{w}", Lease, CancellationToken.None) is { } work)
            {
                claimed.Add(work.Job.Id);
            }
        })));

        Assert.Equal(200, claimed.Count);
        Assert.Equal(ids.Order(), claimed.Order());
    }

    [Fact(Timeout = 60_000)]
    public async Task Migrating_twice_at_once_applies_each_script_once()
    {
        var migrations = Enumerable.Range(0, 4).Select(_ => new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None));
        await Task.WhenAll(migrations);
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        Assert.Equal(Vexaa.Data.Migrator.Scripts(_database.Dialect).Count(), await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact(Timeout = 120_000)]
    public async Task Claimers_that_complete_as_they_go_neither_deadlock_nor_double_claim()
    {
        for (var i = 0; i < 300; i++)
        {
            await EnqueueAsync();
        }

        var completed = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            while (await _queue.ClaimAsync($"worker-{w}", Lease, CancellationToken.None) is { } work)
            {
                await _queue.ReportProgressAsync(work.Lease, 0.5, null, JobPhase.Encoding, CancellationToken.None);
                Assert.True(await _queue.CompleteAsync(work.Lease, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None));
                completed.Add(work.Job.Id);
            }
        })));

        Assert.Equal(300, completed.Count);
        Assert.Equal(300, completed.Distinct().Count());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_succeeded_job_keeps_pointing_at_its_input_until_the_input_is_deleted()
    {
        var id = await EnqueueAsync();
        var (_, lease) = (await _queue.ClaimAsync("w", Lease, CancellationToken.None))!.Value;
        Assert.True(await _queue.CompleteAsync(lease, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(2));

        // As if the worker died right after publishing: the janitor finds the input still recorded.
        Assert.Equal([id], await _queue.LeftoverInputsAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        await _queue.ClearInputAsync(id, CancellationToken.None);
        Assert.Empty(await _queue.LeftoverInputsAsync(TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Null((await _jobs.GetAsync("u", id, CancellationToken.None))!.InputKey);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stale_worker_cannot_publish_after_its_lease_was_taken_over()
    {
        var id = await EnqueueAsync();
        var (_, stale) = (await _queue.ClaimAsync("slow", Lease, CancellationToken.None))!.Value;
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var (job, current) = (await _queue.ClaimAsync("fresh", Lease, CancellationToken.None))!.Value;

        Assert.Equal(id, job.Id);
        Assert.True(current.Token > stale.Token);
        Assert.False(await _queue.ReportProgressAsync(stale, 0.5, null, JobPhase.Encoding, CancellationToken.None));
        Assert.False(await _queue.RenewAsync(stale, Lease, CancellationToken.None));
        Assert.False(await _queue.CompleteAsync(stale, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.False(await _queue.FailAsync(stale, "x", "y", null, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.True(await _queue.CompleteAsync(current, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None));

        var done = await _jobs.GetAsync("u", id, CancellationToken.None);
        Assert.Equal(JobState.Succeeded, done!.State);
        Assert.Equal(2, done.Attempts);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_live_lease_keeps_others_away_and_renewal_extends_it()
    {
        await EnqueueAsync();
        var (_, lease) = (await _queue.ClaimAsync("a", Lease, CancellationToken.None))!.Value;
        _clock.Advance(Lease * 0.9);
        Assert.True(await _queue.RenewAsync(lease, Lease, CancellationToken.None));
        _clock.Advance(Lease * 0.9);
        Assert.Null(await _queue.ClaimAsync("b", Lease, CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task Failures_are_retried_after_a_delay_until_attempts_run_out()
    {
        var id = await EnqueueAsync(maxAttempts: 2);
        var (_, first) = (await _queue.ClaimAsync("w", Lease, CancellationToken.None))!.Value;
        Assert.True(await _queue.FailAsync(first, "encoding-failed", "boom", TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(JobState.Queued, (await _jobs.GetAsync("u", id, CancellationToken.None))!.State);
        Assert.Null(await _queue.ClaimAsync("w", Lease, CancellationToken.None));

        _clock.Advance(TimeSpan.FromSeconds(11));
        var (_, second) = (await _queue.ClaimAsync("w", Lease, CancellationToken.None))!.Value;
        Assert.True(await _queue.FailAsync(second, "encoding-failed", "boom again", TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), CancellationToken.None));

        var failed = await _jobs.GetAsync("u", id, CancellationToken.None);
        Assert.Equal(JobState.Failed, failed!.State);
        Assert.Equal("boom again", failed.ErrorMessage);
        Assert.Equal(2, failed.Attempts);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await _queue.ClaimAsync("w", Lease, CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_whose_workers_keep_dying_fails_as_worker_lost()
    {
        var id = await EnqueueAsync(maxAttempts: 2);
        for (var i = 0; i < 2; i++)
        {
            Assert.NotNull(await _queue.ClaimAsync("dies", Lease, CancellationToken.None));
            _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        }

        Assert.Null(await _queue.ClaimAsync("next", Lease, CancellationToken.None));
        Assert.Equal([id], await _queue.FailAbandonedAsync(TimeSpan.FromHours(1), CancellationToken.None));
        var job = await _jobs.GetAsync("u", id, CancellationToken.None);
        Assert.Equal(JobState.Failed, job!.State);
        Assert.Equal("worker-lost", job.ErrorCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_released_job_is_claimable_at_once_without_losing_an_attempt()
    {
        var id = await EnqueueAsync(maxAttempts: 1);
        var (_, lease) = (await _queue.ClaimAsync("stopping", Lease, CancellationToken.None))!.Value;
        Assert.True(await _queue.ReleaseAsync(lease, CancellationToken.None));
        var (job, _) = (await _queue.ClaimAsync("next", Lease, CancellationToken.None))!.Value;
        Assert.Equal(id, job.Id);
        Assert.Equal(1, job.Attempts);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_canceled_job_stops_its_worker_at_the_next_renewal()
    {
        var id = await EnqueueAsync();
        var (_, lease) = (await _queue.ClaimAsync("w", Lease, CancellationToken.None))!.Value;
        Assert.NotNull(await _jobs.CancelAsync("u", id, CancellationToken.None));
        Assert.False(await _queue.RenewAsync(lease, Lease, CancellationToken.None));
        Assert.False(await _queue.CompleteAsync(lease, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(JobState.Canceled, (await _jobs.GetAsync("u", id, CancellationToken.None))!.State);
        Assert.Null(await _jobs.CancelAsync("u", id, CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task Another_users_job_is_invisible_to_every_query()
    {
        var id = await EnqueueAsync();
        Assert.Null(await _jobs.GetAsync("someone-else", id, CancellationToken.None));
        Assert.NotNull(await _jobs.GetAsync("u", id, CancellationToken.None));
        Assert.Null(await _jobs.CancelAsync("someone-else", id, CancellationToken.None));
        Assert.False(await _jobs.RetryAsync("someone-else", id, CancellationToken.None));
        Assert.False(await _jobs.DeleteFinishedAsync("someone-else", id, CancellationToken.None));
        Assert.Empty(await _jobs.ListAsync("someone-else", null, null, 10, CancellationToken.None));
    }

    [Fact(Timeout = 60_000)]
    public async Task Known_ids_are_those_with_a_row_whatever_their_state()
    {
        var first = await EnqueueAsync();
        var second = await EnqueueAsync();
        var (_, lease) = (await _queue.ClaimAsync("w", Lease, CancellationToken.None))!.Value;
        Assert.True(await _queue.CompleteAsync(lease, "[]", 0, TimeSpan.FromDays(1), CancellationToken.None));
        var unknown = Vexaa.Ids.New();

        var known = await _database.KnownIdsAsync("jobs", [first, second, unknown], CancellationToken.None);

        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), known.Order(StringComparer.Ordinal));
        Assert.Empty(await _database.KnownIdsAsync("jobs", [], CancellationToken.None));
    }
}
