using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vexaa;
using Vexaa.Data;
using Vexaa.Jobs;

// Measures how many claim → complete cycles per second one database sustains with N concurrent claimers:
// the queue's own ceiling, with no ffmpeg in the way. Usage: ClaimsBench <mysql connection string> [jobs]
var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("Pass a MySQL connection string.");
var jobsPerRound = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4000;
var database = Database.MySql(connectionString);
await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
await using (var connection = await database.OpenAsync(CancellationToken.None))
{
    await connection.ExecuteAsync("INSERT IGNORE INTO users (id, name, webhook_secret, created_at) VALUES ('bench', 'bench', 's', 0)");
}

var queue = new JobQueue(database, TimeProvider.System);
Console.WriteLine("| claimers | jobs | seconds | claims/s (claim + complete) |");
Console.WriteLine("|--:|--:|--:|--:|");
foreach (var claimers in new[] { 1, 4, 16, 64 })
{
    await using (var connection = await database.OpenAsync(CancellationToken.None))
    {
        await connection.ExecuteAsync("DELETE FROM jobs");
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = Enumerable.Range(0, jobsPerRound).Select(i => new
        {
            Id = Ids.New(), UserId = "bench", State = JobState.Queued, OptionsJson = "{}", InputKey = "k", InputName = "x", InputSize = 1L,
            MaxAttempts = 3, RunAfter = now, CreatedAt = now + i, UpdatedAt = now,
        });
        foreach (var batch in rows.Chunk(500))
        {
            await connection.ExecuteAsync(
                "INSERT INTO jobs (id, user_id, state, options_json, input_key, input_name, input_size, max_attempts, run_after, created_at, updated_at) " +
                "VALUES (@Id, @UserId, @State, @OptionsJson, @InputKey, @InputName, @InputSize, @MaxAttempts, @RunAfter, @CreatedAt, @UpdatedAt)", batch);
        }
    }

    var claimed = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, claimers).Select(w => Task.Run(async () =>
    {
        while (await queue.ClaimAsync($"bench/{w}", TimeSpan.FromMinutes(1), CancellationToken.None) is { } work)
        {
            await queue.CompleteAsync(work.Lease, "[]", 0, TimeSpan.FromHours(1), CancellationToken.None);
            Interlocked.Increment(ref claimed);
        }
    })));
    var seconds = clock.Elapsed.TotalSeconds;
    if (claimed != jobsPerRound)
    {
        throw new InvalidOperationException($"Claimed {claimed} of {jobsPerRound} jobs.");
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {claimers} | {claimed} | {seconds:0.00} | {claimed / seconds:0} |"));
}
