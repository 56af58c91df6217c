using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Several servers on one MariaDB: jobs submitted anywhere run once somewhere, and a dead server's job moves on.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SharedDatabaseTests(MariaDbServer mariadb, TestMedia media)
{
    private async Task<(ServerProcess A, ServerProcess B)> StartPairAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "vexaa-shared-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = await mariadb.ServerSettingsAsync();
        // Both at once: migrations and the first admin must cope with a twin starting at the same moment.
        var started = await Task.WhenAll(ServerProcess.StartAsync(1, settings, data), ServerProcess.StartAsync(1, settings, data));
        return (started[0], started[1]);
    }

    [Fact(Timeout = 180_000)]
    public async Task Jobs_submitted_to_either_server_each_run_exactly_once()
    {
        var (a, b) = await StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        var key = a.AdminKey.Length > 0 ? a.AdminKey : b.AdminKey;
        Assert.True(a.AdminKey.Length == 0 || b.AdminKey.Length == 0, "only one server created the admin");
        using var clientA = a.Client(key);
        using var clientB = b.Client(key);

        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await Api.SubmitOkAsync(i % 2 == 0 ? clientA : clientB, media["good-h264-aac.mp4"], new() { ["format"] = "opus" }));
        }

        foreach (var id in ids)
        {
            var job = await Api.WaitAsync(clientB, id, TimeSpan.FromSeconds(90));
            Assert.Equal("succeeded", job.Status());
            Assert.Equal(1, job.GetProperty("attempts").GetInt32());
            Assert.Single(Directory.GetDirectories(Path.Combine(a.DataDirectory, "files", "jobs", id, "results")));
        }

        Assert.Contains("succeeded", a.Output + b.Output);
        Assert.True(a.Output.Contains("succeeded", StringComparison.Ordinal) && b.Output.Contains("succeeded", StringComparison.Ordinal), "both servers' workers took part");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_on_a_killed_server_is_finished_by_the_other_once_its_lease_expires()
    {
        var (a, b) = await StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        var key = a.AdminKey.Length > 0 ? a.AdminKey : b.AdminKey;
        using var clientA = a.Client(key);
        using var clientB = b.Client(key);
        // Keep B's worker busy so A's worker takes the long job.
        await b.StopAsync();
        var id = await Api.SubmitOkAsync(clientA, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        var running = await Api.WaitAsync(clientA, id, TimeSpan.FromSeconds(30), "running");
        Assert.Equal(1, running.GetProperty("attempts").GetInt32());

        // Killed first, while its job runs: starting B takes seconds, long enough for A to finish a short job on a busy machine.
        await a.KillAsync();
        await b.RestartAsync();
        var job = await Api.WaitAsync(clientB, id, TimeSpan.FromSeconds(120));

        Assert.Equal("succeeded", job.Status());
        Assert.Equal(2, job.GetProperty("attempts").GetInt32());
        Assert.Single(Directory.GetDirectories(Path.Combine(b.DataDirectory, "files", "jobs", id, "results")));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_web_session_made_on_one_server_works_on_the_other_without_a_shared_disk()
    {
        var settings = await mariadb.ServerSettingsAsync();
        // Separate data folders: the cookie keys can only be shared through the database.
        var started = await Task.WhenAll(ServerProcess.StartAsync(0, settings), ServerProcess.StartAsync(0, settings));
        await using var a = started[0];
        await using var b = started[1];
        var password = a.AdminPassword.Length > 0 ? a.AdminPassword : b.AdminPassword;

        // Each signs someone in before either has seen the other's keys, so each may have made a key of its own.
        var cookiesA = new CookieContainer();
        var cookiesB = new CookieContainer();
        using (var signInA = Api.CookieClient(a.BaseAddress, cookiesA))
        using (var signInB = Api.CookieClient(b.BaseAddress, cookiesB))
        {
            var signedIn = await Task.WhenAll(Api.SignInAsync(signInA, "admin", password), Api.SignInAsync(signInB, "admin", password));
            Assert.All(signedIn, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        foreach (var (cookies, other) in new[] { (cookiesA, b), (cookiesB, a) })
        {
            using var client = Api.CookieClient(other.BaseAddress, cookies);
            var me = await client.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal("admin", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }

        Assert.False(Directory.Exists(Path.Combine(a.DataDirectory, "keys")));
    }
}
