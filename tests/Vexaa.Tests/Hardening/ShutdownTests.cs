using System.Diagnostics;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>An open event stream does not hold up shutdown: SIGTERM ends it and the process exits promptly.</summary>
public sealed class ShutdownTests
{
    [Fact(Timeout = 90_000)]
    public async Task Sigterm_with_an_open_event_stream_exits_within_a_few_seconds()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        using var client = server.Client(server.AdminKey);
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await client.GetAsync("/api/v1/jobs/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("event: ping", await reader.ReadLineAsync());

        var stopwatch = Stopwatch.StartNew();
        await server.StopAsync();
        stopwatch.Stop();

        // Without ending the stream, the host waits out its whole shutdown timeout (20 s with these settings, 35 s by default).
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed.TotalSeconds:0.0} s");
        // The stream ended cleanly, so the client sees its end rather than hanging.
        using var end = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (await reader.ReadLineAsync(end.Token) is not null)
        {
        }
    }
}
