using System.Net;
using System.Text.Json;
using Dapper;
using MySqlConnector;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>A MariaDB of its own, so that stopping it mid-test cannot disturb the tests of the shared one.</summary>
[CollectionDefinition(Name)]
public sealed class DbAwayCollection : ICollectionFixture<MariaDbServer>, ICollectionFixture<TestMedia>
{
    public const string Name = "db-away";
}

/// <summary>
/// The database goes away while a job runs and another waits, and comes back: the server keeps answering (503 with a
/// stable code, not 500), says it is not ready, and every job ends once, as it would have without the outage.
/// </summary>
[Collection(DbAwayCollection.Name)]
public sealed class DbAwayTests(MariaDbServer mariadb, TestMedia media)
{
    [Theory(Timeout = 240_000)]
    [InlineData("stopped")]
    [InlineData("killed")]
    public async Task Jobs_running_and_queued_when_the_database_goes_away_each_end_once_after_it_returns(string how)
    {
        var settings = await mariadb.ServerSettingsAsync();
        await using var server = await ServerProcess.StartAsync(workers: 1, settings);
        using var client = server.Client(server.AdminKey);
        using var anonymous = server.Client();
        var running = await Api.SubmitOkAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        var queued = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3" });
        await Api.WaitAsync(client, running, TimeSpan.FromSeconds(60), "running");

        var away = DateTime.UtcNow;
        await (how == "killed" ? mariadb.KillAsync() : mariadb.StopAsync());
        try
        {
            await DuringTheOutageAsync(server, client, anonymous, running);
            // Away for longer than a lease (6 s), so the running job's lease runs out while nobody can renew it.
            var left = TimeSpan.FromSeconds(9) - (DateTime.UtcNow - away);
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left);
            }
        }
        finally
        {
            // Back for the next test, whatever happened in this one.
            await mariadb.StartAsync();
        }

        await WaitReadyAsync(anonymous);

        var ended = new List<(string Id, JsonElement Job)>();
        foreach (var id in new[] { running, queued })
        {
            ended.Add((id, await Api.WaitAsync(client, id, TimeSpan.FromSeconds(120))));
        }

        long jobRows;
        await using (var db = new MySqlConnection(settings["Vexaa__Database__ConnectionString"]))
        {
            jobRows = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM jobs");
        }

        // Lost: a job that did not succeed, or whose results were published under more than one attempt's token.
        var resultSets = ended.ToDictionary(e => e.Id, e => Directory.GetDirectories(Path.Combine(server.DataDirectory, "files", "jobs", e.Id, "results")).Length);
        Figures.Record("fault", $"database-{how}-mid-job", 1, ended.Count(e => e.Job.Status() != "succeeded" || resultSets[e.Id] != 1));

        foreach (var (id, job) in ended)
        {
            Assert.True(job.Status() == "succeeded", $"{id}: {job}\n{server.Output}");
            Assert.Equal(1, resultSets[id]);
            using var download = await client.GetAsync($"/api/v1/jobs/{id}/result");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(job.GetProperty("results")[0].GetProperty("size").GetInt64(), (await download.Content.ReadAsByteArrayAsync()).LongLength);
        }

        // The submission refused during the outage made no job and left no file.
        Assert.Equal(2, jobRows);
        var folders = Directory.GetDirectories(Path.Combine(server.DataDirectory, "files", "jobs")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { running, queued }.Order(StringComparer.Ordinal), folders);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
    }

    /// <summary>Readiness says no, and API requests answer 503 database-unavailable rather than 500.</summary>
    private async Task DuringTheOutageAsync(ServerProcess server, HttpClient client, HttpClient anonymous, string running)
    {
        using (var ready = await anonymous.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.StartsWith("failing", (await Api.JsonAsync(ready)).GetProperty("checks").GetProperty("database").GetString());
        }

        using (var job = await client.GetAsync($"/api/v1/jobs/{running}"))
        {
            await AssertDatabaseUnavailableAsync(job);
        }

        using (var submitted = await Api.SubmitAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "opus" }))
        {
            await AssertDatabaseUnavailableAsync(submitted);
        }

        using var browser = Api.CookieClient(server.BaseAddress);
        using (var signIn = await Api.SignInAsync(browser, "admin", server.AdminPassword))
        {
            await AssertDatabaseUnavailableAsync(signIn);
        }
    }

    private static async Task AssertDatabaseUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("database-unavailable", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "a Retry-After in seconds");
    }

    private static async Task WaitReadyAsync(HttpClient anonymous)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var ready = await anonymous.GetAsync("/readyz");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "ready again once the database is back: " + await ready.Content.ReadAsStringAsync());
            await Task.Delay(250);
        }
    }
}
