using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

/// <summary>`vexaa submit` follows its job through the event stream, and polls when a proxy in between does not pass it.</summary>
[Collection(MediaCollection.Name)]
public sealed class SubmitFollowTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task The_job_is_followed_through_its_events_without_polling()
    {
        using var proxy = new RecordingProxy(shared.Server.BaseAddress);

        var requests = await SubmitAsync(proxy, "events");

        Assert.Single(requests, r => r.StartsWith("GET /api/v1/jobs/", StringComparison.Ordinal) && r.EndsWith("/events", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, IsPoll);
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_the_event_stream_the_job_is_polled_and_still_arrives()
    {
        using var proxy = new RecordingProxy(shared.Server.BaseAddress, refuse: path => path.EndsWith("/events", StringComparison.Ordinal));

        var requests = await SubmitAsync(proxy, "polled");

        Assert.Contains(requests, IsPoll);
    }

    private static bool IsPoll(string request) =>
        request.StartsWith("GET /api/v1/jobs/", StringComparison.Ordinal) && request.Count(c => c == '/') == 4;

    private async Task<List<string>> SubmitAsync(RecordingProxy proxy, string name)
    {
        var input = _dir[name + ".mp4"];
        File.Copy(media["good-h264-aac.mp4"], input);
        using var cli = new SubmitCli(proxy.Address, shared.Server.AdminKey, _dir.Path);

        var r = await cli.RunAsync([input, "--format", "flac"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("flac", (await Proc.ProbeAsync(_dir[name + ".flac"])).Codec);
        return [.. proxy.Requests];
    }
}
