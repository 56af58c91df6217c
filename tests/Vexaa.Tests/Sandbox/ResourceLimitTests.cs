using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Sandbox;

/// <summary>
/// Each kernel limit, hit on purpose: a real transcode (through <see cref="AudioExtractor"/>, as jobs run it) where the
/// input can reach the limit, the tool layer directly where only an ffmpeg filter can (ffmpeg's synthetic sources are
/// refused by the allow-lists, rightly). Each fails with <c>resource-limit-exceeded</c>, and the same run under the
/// default limits passes.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class ResourceLimitTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private static MediaTools Tools(ToolLimits limits) => MediaTools.Locate() with { Sandbox = ToolSandbox.LimitsOnly(limits) };

    private async Task<ExtractionResult> ExtractAsync(MediaTools tools, string input, string format)
    {
        var extractor = new AudioExtractor(tools, new ExtractionLimits());
        var info = await extractor.ProbeAsync(media[input], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = format });
        return await extractor.RunAsync(media[input], info, plan, [_out["out." + format]], false, null, CancellationToken.None);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_transcode_under_the_default_limits_succeeds()
    {
        var result = await ExtractAsync(Tools(new ToolLimits()), "long-30s.m4a", "wav");

        Assert.True(result.Files[0].SizeBytes > 2_000_000);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_transcode_writing_past_the_file_size_limit_fails_with_a_clear_code_and_leaves_nothing()
    {
        var tools = Tools(ToolLimits.Unlimited with { FileSizeBytes = 256 * 1024 });

        var e = await Assert.ThrowsAsync<MediaException>(() => ExtractAsync(tools, "long-30s.m4a", "wav"));

        Assert.Equal(MediaError.ResourceLimitExceeded, e.Error);
        Assert.Contains("262,144 bytes", e.Message);
        Assert.Empty(_out.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_that_needs_more_memory_than_its_address_space_fails_cleanly()
    {
        // areverse holds the whole stream in memory: 2000 s of 48 kHz float audio is about 400 MB.
        var limits = ToolLimits.Unlimited with { AddressSpaceBytes = 300L << 20 };
        // -xerror: stop at the first failed allocation instead of reporting each of the 90,000 frames.
        static string[] Args(int seconds) =>
            ["-hide_banner", "-nostdin", "-xerror", "-v", "error", "-f", "lavfi", "-i", $"sine=d={seconds}:sample_rate=48000", "-af", "areverse", "-f", "null", "-"];

        var within = await ToolRunner.RunAsync(MediaTools.Locate().Ffmpeg, Args(5), new SandboxView([], []), ToolSandbox.LimitsOnly(limits), null, null, CancellationToken.None);
        var beyond = await ToolRunner.RunAsync(MediaTools.Locate().Ffmpeg, Args(2000), new SandboxView([], []), ToolSandbox.LimitsOnly(limits), null, null, CancellationToken.None);

        Assert.Equal(0, within.ExitCode);
        Assert.NotEqual(0, beyond.ExitCode);
        var error = LimitFailure.Classify(beyond.ExitCode, beyond.StderrTail, limits);
        Assert.NotNull(error);
        Assert.Contains("300 MiB of memory", error.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_that_uses_up_its_cpu_seconds_is_stopped_by_the_kernel()
    {
        var limits = ToolLimits.Unlimited with { CpuSeconds = 1 };
        string[] args = ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=d=100000", "-f", "null", "-"];
        var started = System.Diagnostics.Stopwatch.StartNew();

        var result = await ToolRunner.RunAsync(MediaTools.Locate().Ffmpeg, args, new SandboxView([], []), ToolSandbox.LimitsOnly(limits), null, null, CancellationToken.None);

        // SIGXCPU: ffmpeg catches it and exits 255 (the hard limit, 5 s later, would be SIGKILL).
        Assert.Equal(255, result.ExitCode);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
        Assert.Contains("1 CPU seconds", LimitFailure.Classify(result.ExitCode, result.StderrTail, limits)!.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_transcode_with_more_outputs_than_open_files_allowed_fails_with_a_clear_code()
    {
        var tools = Tools(ToolLimits.Unlimited with { OpenFiles = 12 });
        var extractor = new AudioExtractor(tools, new ExtractionLimits());
        var info = await extractor.ProbeAsync(media["good-two-audio-tracks.mp4"], CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "wav", AllTracks = true });
        // Ten copies of the plan's outputs: each needs a file descriptor of its own.
        var many = plan with { Outputs = [.. Enumerable.Repeat(plan.Outputs, 5).SelectMany(o => o)] };
        var outputs = many.Outputs.Select((_, i) => _out[$"{i}.wav"]).ToList();

        var e = await Assert.ThrowsAsync<MediaException>(() => extractor.RunAsync(media["good-two-audio-tracks.mp4"], info, many, outputs, false, null, CancellationToken.None));

        Assert.Equal(MediaError.ResourceLimitExceeded, e.Error);
        Assert.Contains("12 open files", e.Message);
        Assert.Empty(_out.Files());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_decoder_that_needs_more_threads_than_processes_allowed_fails_with_a_clear_code()
    {
        // The kernel never applies RLIMIT_NPROC to root, so the run drops to nobody (as a service user would be);
        // a frame-threaded H.264 decode then cannot start its threads.
        var limits = ToolLimits.Unlimited with { Processes = 1 };
        var input = _out["v.mp4"];
        File.Copy(media["good-h264-aac.mp4"], input);
        File.SetUnixFileMode(_out.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(input, (UnixFileMode)0b110_100_100);
        string[] args = ["--reuid=65534", "--regid=65534", "--clear-groups", "--", MediaTools.Locate().Ffmpeg,
            "-hide_banner", "-nostdin", "-v", "error", "-threads", "4", "-i", "file:" + input, "-map", "0:v", "-f", "null", "-"];

        var result = await ToolRunner.RunAsync("/usr/bin/setpriv", args, new SandboxView([], []), ToolSandbox.LimitsOnly(limits), null, null, CancellationToken.None);
        var unlimited = await ToolRunner.RunAsync("/usr/bin/setpriv", args, new SandboxView([], []), ToolSandbox.LimitsOnly(new ToolLimits()), null, null, CancellationToken.None);

        Assert.Equal(0, unlimited.ExitCode);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("1 processes or threads", LimitFailure.Classify(result.ExitCode, result.StderrTail, limits)!.Message);
    }
}
