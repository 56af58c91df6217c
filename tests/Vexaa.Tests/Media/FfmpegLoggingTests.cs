using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Media;

/// <summary>What the engine tells the operator's log about each ffmpeg it starts.</summary>
[Collection(MediaCollection.Name)]
public sealed class FfmpegLoggingTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Each_ffmpeg_run_logs_its_whole_command_line_at_debug_level()
    {
        var logger = new ListLogger<AudioExtractor>();
        var tools = MediaTools.Locate();
        var extractor = new AudioExtractor(tools, new ExtractionLimits(), logger);
        var info = await extractor.ProbeAsync(media["good-h264-aac.mp4"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "mp3" });

        await extractor.RunAsync(media["good-h264-aac.mp4"], info, plan, [_out["out.mp3"]], false, null, CancellationToken.None);

        var line = Assert.Single(logger.Lines, l => l.StartsWith("Debug: Running ", StringComparison.Ordinal));
        Assert.StartsWith("Debug: Running " + tools.Ffmpeg + " ", line);
        Assert.Contains("file:" + Path.GetFullPath(media["good-h264-aac.mp4"]), line);
        Assert.Contains("libmp3lame", line);
        Assert.Contains(_out.Path, line);
    }
}
