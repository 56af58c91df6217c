using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using MySqlConnector;
using Vexaa.Tests.Support;
using Xunit.Abstractions;

namespace Vexaa.Tests.Cluster;

/// <summary>
/// The scaled-out shape on one machine: MariaDB, Redis, S3 (s3rver), 2 API processes and 3 worker processes. 50 jobs go in through
/// both APIs while workers are SIGKILLed, one is stopped gracefully, replacements start, and Redis and MariaDB are each
/// restarted once. Every acknowledged job must end succeeded exactly once, with nothing left behind. The figures it
/// prints are the ones in docs/RELIABILITY.md.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class ClusterTests(TestMedia media, ITestOutputHelper output)
{
    private const int Jobs = 50;

    [Fact(Timeout = 900_000)]
    public async Task Fifty_jobs_survive_killed_workers_and_restarted_redis_and_mariadb()
    {
        var report = new StringBuilder();
        void Log(string line)
        {
            output.WriteLine(line);
            lock (report)
            {
                report.AppendLine(line);
            }
        }

        var mariadb = new MariaDbServer();
        await mariadb.InitializeAsync();
        var s3 = new S3Server();
        await s3.InitializeAsync();
        var bucket = await s3.CreateBucketAsync();
        await using var redis = await RedisServer.StartAsync();
        var connection = await mariadb.CreateDatabaseAsync();
        // No shared disk, as on Kubernetes: each process has a data folder of its own (scratch only; files are in S3). A
        // replacement worker gets its predecessor's folder, as a restarted container keeps its pod's emptyDir.
        var data = Path.Combine(Path.GetTempPath(), "vexaa-cluster-" + Guid.NewGuid().ToString("N")[..8]);
        string Folder(string role) => $"{data}-{role}";
        var settings = new Dictionary<string, string>
        {
            ["Vexaa__Database__Provider"] = "mysql",
            ["Vexaa__Database__ConnectionString"] = connection,
            ["Vexaa__Redis__Configuration"] = redis.Configuration,
            ["Vexaa__Workers__LeaseSeconds"] = "5",
            ["Vexaa__Workers__PollSeconds"] = "1",
            ["Vexaa__Workers__MaxAttempts"] = "10",
            ["Vexaa__Workers__ShutdownGraceSeconds"] = "2",
            ["Vexaa__Limits__RequestsPerMinute"] = "100000",
        };
        foreach (var (k, v) in s3.ServerSettings(bucket))
        {
            settings[k] = v;
        }

        var apis = new List<ServerProcess>();
        var workers = new List<ServerProcess>();
        var retired = new List<ServerProcess>();
        try
        {
            apis.AddRange(await Task.WhenAll(ServerProcess.StartAsync(0, settings, Folder("api0")), ServerProcess.StartAsync(0, settings, Folder("api1"))));
            for (var i = 0; i < 3; i++)
            {
                workers.Add(await ServerProcess.StartAsync(1, settings, Folder($"work{i}"), command: "work"));
            }

            var key = apis.Select(a => a.AdminKey).First(k => k.Length > 0);
            var clients = apis.Select(a => a.Client(key)).ToList();
            var inputs = new[] { ("good-h264-aac.mp4", "mp3"), ("long-30s.m4a", "opus"), ("long-400s.m4a", "flac"), ("good-two-audio-tracks.mp4", "m4a") };
            var clock = Stopwatch.StartNew();
            var accepted = new ConcurrentDictionary<int, string>();
            var retries = 0;

            // Submitting: each job has its own Idempotency-Key, so a request that failed mid-restart can simply be sent again.
            var submitting = Task.Run(async () =>
            {
                for (var i = 0; i < Jobs; i++)
                {
                    var (file, format) = inputs[i % inputs.Length];
                    var fields = new Dictionary<string, string> { ["format"] = format };
                    if (file == "long-400s.m4a")
                    {
                        fields["normalize"] = "podcast";
                    }

                    while (true)
                    {
                        try
                        {
                            using var response = await Api.SubmitAsync(clients[i % 2], media[file], fields, idempotencyKey: $"cluster-{i}");
                            if (response.StatusCode == HttpStatusCode.Accepted)
                            {
                                accepted[i] = (await Api.JsonAsync(response)).GetProperty("id").GetString()!;
                                break;
                            }
                        }
                        catch (HttpRequestException)
                        {
                        }

                        Interlocked.Increment(ref retries);
                        await Task.Delay(250);
                    }

                    // Spread over the whole run, so uploads are arriving while Redis and MariaDB restart.
                    await Task.Delay(900);
                }
            });

            var recoveries = new List<double>();
            async Task KillBusyWorkerAsync(int index)
            {
                var worker = workers[index];
                var jobs = await LeasedByAsync(connection, worker.ProcessId);
                var killedAt = clock.Elapsed;
                await worker.KillAsync();
                Log($"{killedAt.TotalSeconds,6:0.0} s  SIGKILL worker pid {worker.ProcessId} holding {jobs.Count} job(s)");
                retired.Add(worker);
                // The replacement starts when the dead lease expires, as an orchestrator's restart would land; started
                // earlier, it takes a fresh job and the orphan waits for whichever worker frees up first.
                await Task.Delay(TimeSpan.FromSeconds(5) - (clock.Elapsed - killedAt));
                workers[index] = await ServerProcess.StartAsync(1, settings, Folder($"work{index}"), command: "work");
                foreach (var job in jobs)
                {
                    var recovered = await WaitReclaimedAsync(connection, job, worker.ProcessId);
                    recoveries.Add((recovered - killedAt).TotalSeconds);
                    Log($"{recovered.TotalSeconds,6:0.0} s  job {job} running again elsewhere after {(recovered - killedAt).TotalSeconds:0.0} s");
                }

                async Task<TimeSpan> WaitReclaimedAsync(string cs, string id, int deadPid)
                {
                    while (true)
                    {
                        await using var db = new MySqlConnection(cs);
                        var owner = await Retry(() => db.ExecuteScalarAsync<string?>("SELECT lease_owner FROM jobs WHERE id = @id", new { id }));
                        var state = await Retry(() => db.ExecuteScalarAsync<string>("SELECT state FROM jobs WHERE id = @id", new { id }));
                        if (state != "running" || (owner is not null && !owner.Contains($"/{deadPid}/", StringComparison.Ordinal)))
                        {
                            return clock.Elapsed;
                        }

                        await Task.Delay(100);
                    }
                }
            }

            async Task WaitForBusyAsync(int index)
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while ((await LeasedByAsync(connection, workers[index].ProcessId)).Count == 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }

            await WaitForBusyAsync(0);
            await KillBusyWorkerAsync(0);
            await WaitForBusyAsync(1);
            await KillBusyWorkerAsync(1);

            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  SIGTERM worker pid {workers[2].ProcessId} (graceful)");
            await workers[2].StopAsync();
            Assert.Contains("shutting down", workers[2].Output, StringComparison.OrdinalIgnoreCase);
            retired.Add(workers[2]);
            workers[2] = await ServerProcess.StartAsync(1, settings, Folder("work2"), command: "work");

            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  Redis killed");
            await redis.KillAsync();
            await Task.Delay(2000);
            await redis.StartAgainAsync();
            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  Redis back");

            await WaitForBusyAsync(0);
            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  MariaDB restarting");
            await mariadb.RestartAsync();
            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  MariaDB back");

            await WaitForBusyAsync(1);
            await KillBusyWorkerAsync(1);
            Log($"{clock.Elapsed.TotalSeconds,6:0.0} s  chaos over; {accepted.Count} of {Jobs} jobs submitted so far");
            await submitting;

            // Every acknowledged job finishes, exactly once.
            var attempts = new List<int>();
            foreach (var (i, id) in accepted.OrderBy(a => a.Key))
            {
                var job = await Api.WaitAsync(clients[0], id, TimeSpan.FromMinutes(8));
                Assert.True(job.Status() == "succeeded", $"job {i} ({id}) ended {job}");
                attempts.Add(job.GetProperty("attempts").GetInt32());
            }

            // In the bucket: one result set per job (a single lease token's folder) and, once the janitor has followed up
            // on workers killed between publishing and deleting, no inputs.
            var keys = await s3.KeysAsync(bucket);
            var inputsGoneBy = DateTime.UtcNow.AddSeconds(90);
            while (keys.Any(k => k.EndsWith("/input", StringComparison.Ordinal)) && DateTime.UtcNow < inputsGoneBy)
            {
                await Task.Delay(500);
                keys = await s3.KeysAsync(bucket);
            }

            foreach (var id in accepted.Values)
            {
                var tokens = keys.Where(k => k.StartsWith($"jobs/{id}/results/", StringComparison.Ordinal)).Select(k => k.Split('/')[3]).Distinct();
                Assert.Single(tokens);
            }

            Assert.DoesNotContain(keys, k => k.EndsWith("/input", StringComparison.Ordinal));
            var folders = Enumerable.Range(0, 2).Select(i => Folder($"api{i}")).Concat(Enumerable.Range(0, 3).Select(i => Folder($"work{i}"))).ToList();
            Assert.DoesNotContain(folders, f => Directory.Exists(Path.Combine(f, "files")));

            var total = clock.Elapsed;
            Assert.Equal(Jobs, accepted.Count);
            Assert.Equal(Jobs, accepted.Values.Distinct().Count());
            await using (var db = new MySqlConnection(connection))
            {
                Assert.Equal(Jobs, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'"));
                Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'"));
            }

            await Task.Delay(1000);
            // Only worker and API processes may still mention the data folder; no ffmpeg may.
            Assert.DoesNotContain(Processes.WithArgument(data), pid => ReadCommandLine(pid).Contains("ffmpeg", StringComparison.Ordinal));
            // Work folders of killed workers are removed by their replacement's janitor once their lease is no longer live.
            int LeftOver() => folders.Select(f => Path.Combine(f, "tmp", "jobs")).Where(Directory.Exists).Sum(d => Directory.GetDirectories(d).Length);
            var cleanBy = DateTime.UtcNow.AddSeconds(15);
            while (LeftOver() > 0 && DateTime.UtcNow < cleanBy)
            {
                await Task.Delay(200);
            }

            Assert.True(LeftOver() == 0, "no work folder left behind");

            Log("");
            Log($"jobs acknowledged: {accepted.Count}; succeeded exactly once: {accepted.Count}; submissions retried: {retries}");
            Log($"attempts per job: {string.Join(", ", attempts.GroupBy(a => a).OrderBy(g => g.Key).Select(g => $"{g.Key} attempt(s) × {g.Count()}"))}");
            Log($"recovery after SIGKILL (kill → job running on another worker): {string.Join(", ", recoveries.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture) + " s"))} (lease 5 s)");
            Log($"results published twice: 0; inputs left in the bucket: 0; orphan ffmpeg: 0; work folders left: 0; incomplete multipart uploads: s3rver cannot list them (see RELIABILITY.md)");
            Log($"total wall time {total.TotalSeconds:0} s for {Jobs} jobs on {Environment.ProcessorCount} cores");
            Directory.CreateDirectory("test-results");
            await File.WriteAllTextAsync(Path.Combine("test-results", "cluster-figures.txt"), report.ToString());
        }
        finally
        {
            foreach (var p in apis.Concat(workers).Concat(retired))
            {
                await p.DisposeAsync();
            }

            await mariadb.DisposeAsync();
            await s3.DisposeAsync();
        }
    }

    /// <summary>The jobs whose current lease belongs to process <paramref name="pid"/> (the owner string names the pid).</summary>
    private static async Task<List<string>> LeasedByAsync(string connection, int pid)
    {
        await using var db = new MySqlConnection(connection);
        return [.. await Retry(() => db.QueryAsync<string>(
            "SELECT id FROM jobs WHERE state = 'running' AND lease_owner LIKE @owner", new { owner = $"%/{pid}/%" }))];
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task<T> Retry<T>(Func<Task<T>> query)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await query();
            }
            catch (MySqlException) when (attempt < 100)
            {
                await Task.Delay(200);
            }
        }
    }
}
