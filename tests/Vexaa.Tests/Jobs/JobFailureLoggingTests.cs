using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vexaa.Data;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Server.Hosting;
using Vexaa.Storage;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Jobs;

/// <summary>What a failed attempt leaves in the operator's log, and what it leaves for the user.</summary>
[Collection(MediaCollection.Name)]
public sealed class JobFailureLoggingTests(TestMedia media) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDir _data = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failed_attempt_logs_the_tools_last_output_as_a_warning_and_not_on_the_job()
    {
        var logger = new ListLogger<JobProcessor>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Vexaa:DataDirectory"] = _data.Path }).Build();
        await using var services = new ServiceCollection().AddLogging().AddVexaaCore(configuration).AddSingleton<ILogger<JobProcessor>>(logger).BuildServiceProvider();
        await services.GetRequiredService<Migrator>().MigrateAsync(None);
        await using (var connection = await services.GetRequiredService<Database>().OpenAsync(None))
        {
            await connection.ExecuteAsync("INSERT INTO users (id, name, webhook_secret, created_at) VALUES ('u', 'user', 's', 0)");
        }

        var queue = services.GetRequiredService<JobQueue>();
        var id = Vexaa.Ids.New();
        await using (var input = File.OpenRead(media["broken-random.mp4"]))
        {
            await services.GetRequiredService<IFileStore>().PutAsync(JobFiles.InputKey(id), input, None);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await queue.EnqueueAsync(new Job
        {
            Id = id, UserId = "u", State = JobState.Queued, OptionsJson = "{}", InputKey = JobFiles.InputKey(id), InputName = "random.mp4",
            MaxAttempts = 3, RunAfter = now, CreatedAt = now, UpdatedAt = now,
        }, None);
        var claimed = (await queue.ClaimAsync("w", TimeSpan.FromSeconds(30), None))!.Value;

        await using (var attempt = JobAttempt.Begin(queue, claimed.Job, claimed.Lease, TimeSpan.FromSeconds(30), TimeProvider.System, logger))
        {
            await services.GetRequiredService<JobProcessor>().ProcessAsync(attempt, MediaTools.Locate(), None);
        }

        var failed = (await services.GetRequiredService<UserJobs>().GetAsync("u", id, None))!;
        Assert.Equal(JobState.Failed, failed.State);
        var warning = Assert.Single(logger.Lines, l => l.StartsWith("Warning:", StringComparison.Ordinal) && l.Contains("last output", StringComparison.Ordinal));
        // ffprobe names the stored input by its path on this server: in the log as the tool said it, never on the job.
        Assert.Contains("Invalid data found when processing input", warning);
        Assert.Contains(_data.Path, warning);
        Assert.DoesNotContain(_data.Path, failed.ErrorMessage);
    }
}
