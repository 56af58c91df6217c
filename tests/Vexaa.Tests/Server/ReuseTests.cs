using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>The same owner converting the same bytes with the same options gets the stored result again, without ffmpeg.</summary>
[Collection(MediaCollection.Name)]
public sealed class ReuseTests(TestMedia media)
{
    [Fact(Timeout = 120_000)]
    public async Task A_repeated_conversion_reuses_the_earlier_result_and_only_for_the_same_owner_and_options()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using var client = server.Client(server.AdminKey);
        using var other = server.Client(await server.CreateUserKeyAsync("other"));
        var fields = new Dictionary<string, string> { ["format"] = "mp3", ["bitrate"] = "128k" };

        var first = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], fields);
        await Api.WaitAsync(client, first);
        var second = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], fields);
        var secondJob = await Api.WaitAsync(client, second);
        var differentOptions = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["bitrate"] = "96k" });
        await Api.WaitAsync(client, differentOptions);
        var otherUser = await Api.SubmitOkAsync(other, media["good-h264-aac.mp4"], fields);
        await Api.WaitAsync(other, otherUser);

        Assert.Equal("succeeded", secondJob.Status());
        Assert.Contains($"Job {second}: reused the results of job {first}", server.Output);
        Assert.DoesNotContain($"Job {differentOptions}: reused", server.Output);
        Assert.DoesNotContain($"Job {otherUser}: reused", server.Output);
        Assert.NotNull(secondJob.GetProperty("input").GetProperty("probe").GetProperty("container").GetString());
        var original = await client.GetByteArrayAsync($"/api/v1/jobs/{first}/result");
        Assert.Equal(original, await client.GetByteArrayAsync($"/api/v1/jobs/{second}/result"));

        // The copy is independent: deleting the first job leaves the second one's file in place.
        await client.DeleteAsync($"/api/v1/jobs/{first}");
        Assert.Equal(original, await client.GetByteArrayAsync($"/api/v1/jobs/{second}/result"));
    }
}
