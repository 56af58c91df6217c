using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Two users on one server: every route that takes an id treats the other user's ids exactly like unknown ones.</summary>
[Collection(MediaCollection.Name)]
public sealed class IsolationTests(TestMedia media)
{
    private static readonly (HttpMethod Method, string Path)[] Routes =
    [
        (HttpMethod.Get, "/api/v1/jobs/{id}"),
        (HttpMethod.Get, "/api/v1/jobs/{id}/events"),
        (HttpMethod.Get, "/api/v1/jobs/{id}/result"),
        (HttpMethod.Get, "/api/v1/jobs/{id}/results/0"),
        (HttpMethod.Post, "/api/v1/jobs/{id}/retry"),
        (HttpMethod.Delete, "/api/v1/jobs/{id}"),
    ];

    private static async Task<(int Status, string? Code, string? Detail)> CallAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, path));
        var body = await response.Content.ReadAsStringAsync();
        var json = body.Length > 0 ? JsonDocument.Parse(body).RootElement : default;
        return ((int)response.StatusCode, json.ValueKind == JsonValueKind.Object ? json.GetProperty("code").GetString() : null,
            json.ValueKind == JsonValueKind.Object ? json.GetProperty("detail").GetString() : null);
    }

    [Fact(Timeout = 180_000)]
    public async Task Another_users_jobs_are_indistinguishable_from_jobs_that_do_not_exist()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var alice = server.Client(await server.CreateUserKeyAsync("alice"));
        using var bob = server.Client(await server.CreateUserKeyAsync("bob"));
        var succeeded = await Api.SubmitOkAsync(alice, media["good-h264-aac.mp4"]);
        var failed = await Api.SubmitOkAsync(alice, media["broken-text.mp4"]);
        await Api.WaitAsync(alice, succeeded);
        await Api.WaitAsync(alice, failed);
        var unknown = "abcdefghijklmnopqrstuvwxyz";

        foreach (var (method, path) in Routes)
        {
            var expected = await CallAsync(bob, method, path.Replace("{id}", unknown));
            Assert.Equal(404, expected.Status);
            foreach (var id in new[] { succeeded, failed })
            {
                Assert.Equal(expected, await CallAsync(bob, method, path.Replace("{id}", id)));
            }
        }

        var bobsList = await Api.JsonAsync(await bob.GetAsync("/api/v1/jobs"));
        Assert.Equal(0, bobsList.GetProperty("jobs").GetArrayLength());
        // After all of Bob's attempts, Alice's jobs are untouched.
        Assert.Equal("succeeded", (await Api.JsonAsync(await alice.GetAsync($"/api/v1/jobs/{succeeded}"))).Status());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/v1/jobs/{succeeded}/result")).StatusCode);
        Assert.Equal("failed", (await Api.JsonAsync(await alice.GetAsync($"/api/v1/jobs/{failed}"))).Status());
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_route_but_health_and_the_api_reference_needs_authentication()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var anonymous = server.Client();
        using var wrongKey = server.Client("vx_not-a-real-key");
        foreach (var client in new[] { anonymous, wrongKey })
        {
            foreach (var (method, path) in Routes.Append((HttpMethod.Get, "/api/v1/jobs")).Append((HttpMethod.Post, "/api/v1/jobs"))
                         .Append((HttpMethod.Post, "/api/v1/uploads")).Append((HttpMethod.Get, "/api/v1/me")))
            {
                var (status, code, _) = await CallAsync(client, method, path.Replace("{id}", "abcdefghijklmnopqrstuvwxyz"));
                Assert.True(status == 401, $"{method} {path} answered {status}");
                Assert.Equal("unauthenticated", code);
            }
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        var openApi = await anonymous.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/jobs/{id}/events", openApi);
        Assert.Contains("/api/v1/uploads", openApi);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/docs")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_revoked_key_stops_working_at_once()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        var key = await server.CreateUserKeyAsync("carol");
        using var carol = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/api/v1/jobs")).StatusCode);

        var cli = Proc.VexaaDll;
        var list = await Proc.RunAsync("dotnet", [cli, "keys", "list", "--user", "carol", "--data", server.DataDirectory]);
        var keyId = list.Stdout.Trim().Split(' ')[0];
        Assert.DoesNotContain(key, list.Stdout);
        Assert.Equal(0, (await Proc.RunAsync("dotnet", [cli, "keys", "revoke", "--user", "carol", keyId, "--data", server.DataDirectory])).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync("/api/v1/jobs")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ids_are_random_and_never_sequential()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        var a = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        var b = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"]);
        Assert.Equal(26, a.Length);
        Assert.NotEqual(a[..20], b[..20]);
    }
}
