using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Honest progress: what a running job is doing, and where a waiting one stands in the queue.</summary>
[Collection(MediaCollection.Name)]
public sealed class ProgressPhaseTests(TestMedia media)
{
    private static async Task<Dictionary<string, long?>> PositionsAsync(HttpClient client)
    {
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
        return list.GetProperty("jobs").EnumerateArray().ToDictionary(
            j => j.GetProperty("id").GetString()!,
            j => j.GetProperty("queuePosition").ValueKind == JsonValueKind.Null ? (long?)null : j.GetProperty("queuePosition").GetInt64());
    }

    [Fact(Timeout = 120_000)]
    public async Task Waiting_jobs_say_where_they_stand_in_the_one_queue_of_all_users()
    {
        // No workers: everything waits, in the order the workers would take it.
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var admin = server.Client(server.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "dora" });
        using var keyed = await admin.PostAsJsonAsync("/api/v1/admin/users/dora/keys", new { label = "t" });
        using var dora = server.Client((await Api.JsonAsync(keyed)).GetProperty("key").GetString());

        var first = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"]);
        var second = await Api.SubmitOkAsync(dora, media["good-h264-aac.mp4"]);
        var third = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"]);

        var mine = await PositionsAsync(admin);
        Assert.Equal(1, mine[first]);
        Assert.Equal(3, mine[third]);
        Assert.Equal(2, (await PositionsAsync(dora))[second]);
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{third}")).GetProperty("queuePosition").GetInt64());

        // Someone else's job ahead leaves the queue: this one moves up.
        Assert.True((await dora.DeleteAsync($"/api/v1/jobs/{second}")).IsSuccessStatusCode);
        Assert.Equal(2, (await PositionsAsync(admin))[third]);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_two_pass_job_reports_its_phases_in_order_with_progress_over_the_whole_job()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        var id = await Api.SubmitOkAsync(client, media["long-400s.m4a"], new() { ["format"] = "flac", ["normalize"] = "podcast" });
        using var stream = await client.GetStreamAsync($"/api/v1/jobs/{id}/events");
        using var reader = new StreamReader(stream);
        var progress = new List<(string Phase, double Fraction)>();
        string? type = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (type == "progress" && line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement;
                progress.Add((data.GetProperty("phase").GetString()!, data.GetProperty("progress").GetDouble()));
            }
        }

        // "preparing" is seen only when a poll catches the job before ffmpeg's first report.
        var phases = progress.Select(p => p.Phase).Distinct().ToList();
        Assert.Equal(["measuring-loudness", "encoding", "storing"], phases.Where(p => p != "preparing"));
        Assert.True(!phases.Contains("preparing") || phases[0] == "preparing", string.Join(", ", phases));
        // Phases come in order and progress never goes back: the first pass is a share of the whole, not 0–100% twice.
        Assert.Equal(progress.Select(p => phases.IndexOf(p.Phase)).Order(), progress.Select(p => phases.IndexOf(p.Phase)));
        Assert.Equal(progress.Select(p => p.Fraction).Order(), progress.Select(p => p.Fraction));
        Assert.True(progress.Where(p => p.Phase == "measuring-loudness").Max(p => p.Fraction) < 1);

        var done = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
        Assert.Equal("succeeded", done.Status());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("phase").ValueKind);
        Assert.Equal(JsonValueKind.Null, done.GetProperty("queuePosition").ValueKind);
    }
}
