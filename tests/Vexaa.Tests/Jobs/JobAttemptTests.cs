using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Jobs;

/// <summary>A claimed attempt owns its lease: renewal while it works, loss as a token, the outcome fenced, hand-back on dispose.</summary>
public sealed class JobAttemptTests : IDisposable
{
    // Short enough that the lease-lost test sees a renewal (every third of it) within a second of real time.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(0.9);
    private readonly TempDir _dir = new();
    private readonly Database _database;
    private readonly JobQueue _queue;
    private readonly UserJobs _jobs;

    public JobAttemptTests()
    {
        _database = Database.Sqlite(_dir["jobs.db"]);
        new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        using (var connection = _database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult())
        {
            connection.Execute("INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        _queue = new JobQueue(_database, TimeProvider.System);
        _jobs = new UserJobs(_database, TimeProvider.System);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<string> EnqueueAsync(int maxAttempts = 3)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var job = new Job
        {
            Id = Vexaa.Ids.New(), UserId = "u", State = JobState.Queued, OptionsJson = "{}", InputKey = "k", InputName = "in.mp4",
            MaxAttempts = maxAttempts, RunAfter = now, CreatedAt = now, UpdatedAt = now,
        };
        await _queue.EnqueueAsync(job, CancellationToken.None);
        return job.Id;
    }

    private async Task<JobAttempt?> ClaimAsync(string owner)
    {
        return await _queue.ClaimAsync(owner, Lease, CancellationToken.None) is { } claimed
            ? JobAttempt.Begin(_queue, claimed.Job, claimed.Lease, Lease, TimeProvider.System, NullLogger.Instance)
            : null;
    }

    [Fact(Timeout = 30_000)]
    public async Task A_working_attempt_keeps_its_lease_past_its_duration_and_hands_the_job_back_when_disposed()
    {
        // The clock moves only here, a third of a lease at a time, and each step waits until the renewal it fires has
        // been written: a loaded machine can delay the renewal but not make it late.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // after the job's run_after
        var queue = new JobQueue(_database, clock);
        var id = await EnqueueAsync();
        var claimed = (await queue.ClaimAsync("a", Lease, CancellationToken.None))!.Value;
        var attempt = JobAttempt.Begin(queue, claimed.Job, claimed.Lease, Lease, clock, NullLogger.Instance);

        for (var step = 0; step < 9; step++)
        {
            clock.Advance(Lease / 3);
            var expected = clock.GetUtcNow().ToUnixTimeMilliseconds() + (long)Lease.TotalMilliseconds;
            while (await LeaseExpiresAtAsync(id) != expected)
            {
                await Task.Delay(10);
            }
        }

        Assert.Null(await queue.ClaimAsync("b", Lease, CancellationToken.None));
        Assert.False(attempt.LeaseLost.IsCancellationRequested);
        await attempt.DisposeAsync();

        var released = await _jobs.GetAsync("u", id, CancellationToken.None);
        Assert.Equal(JobState.Queued, released!.State);
        Assert.Equal(0, released.Attempts);
        Assert.NotNull(await queue.ClaimAsync("b", Lease, CancellationToken.None));
    }

    private async Task<long?> LeaseExpiresAtAsync(string id)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long?>("SELECT lease_expires_at FROM jobs WHERE id = @id", new { id });
    }

    [Fact(Timeout = 30_000)]
    public async Task An_attempt_whose_lease_was_taken_over_cancels_its_token_and_writes_nothing()
    {
        var id = await EnqueueAsync();
        await using var attempt = (await ClaimAsync("slow"))!;
        await using (var connection = await _database.OpenAsync(CancellationToken.None))
        {
            // What another worker's claim does to the row once the lease has expired.
            await connection.ExecuteAsync("UPDATE jobs SET lease_token = lease_token + 1, lease_owner = 'fresh' WHERE id = @id", new { id });
        }

        await Task.Delay(Timeout.Infinite, attempt.LeaseLost).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.True(attempt.LeaseLost.IsCancellationRequested);
        Assert.False(await attempt.CompleteAsync("[]", 0, TimeSpan.FromHours(1), TimeSpan.Zero));
        Assert.Null(await attempt.FailAsync("x", "y", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
        Assert.Equal(JobState.Running, (await _jobs.GetAsync("u", id, CancellationToken.None))!.State);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_attempt_says_whether_the_job_will_be_retried_or_failed_for_good()
    {
        var id = await EnqueueAsync(maxAttempts: 2);
        await using var first = (await ClaimAsync("w"))!;
        Assert.Equal(JobState.Queued, await first.FailAsync("encoding-failed", "boom", TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Equal(JobState.Queued, (await _jobs.GetAsync("u", id, CancellationToken.None))!.State);

        await using var second = (await ClaimAsync("w"))!;
        Assert.Equal(JobState.Failed, await second.FailAsync("encoding-failed", "boom again", TimeSpan.Zero, TimeSpan.FromHours(1)));
        var failed = await _jobs.GetAsync("u", id, CancellationToken.None);
        Assert.Equal(JobState.Failed, failed!.State);
        Assert.Equal(2, failed.Attempts);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_permanent_failure_fails_the_job_at_once_with_attempts_left()
    {
        var id = await EnqueueAsync(maxAttempts: 3);
        await using var attempt = (await ClaimAsync("w"))!;

        Assert.Equal(JobState.Failed, await attempt.FailAsync("no-audio-stream", "no audio", null, TimeSpan.FromHours(1)));
        Assert.Equal(JobState.Failed, (await _jobs.GetAsync("u", id, CancellationToken.None))!.State);
    }
}
