using System.Net;
using System.Net.Sockets;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Sandbox;

/// <summary>
/// The bubblewrap layer on its own: the allow-lists are relaxed here (any protocol, any demuxer) as a future ffmpeg
/// bug would relax them, and the sandbox alone must still keep ffmpeg to its input, its output folder and no network.
/// Each refusal is paired with the same run without isolation succeeding, so a refusal for another reason cannot pass.
/// </summary>
[Collection(MediaCollection.Name)]
public sealed class IsolationTests(TestMedia media) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<ToolSandbox> BubblewrapAsync() =>
        await ToolSandbox.DetectAsync("bubblewrap", new ToolLimits(), MediaTools.Locate().Ffmpeg, CancellationToken.None);

    private static Task<ToolResult> RunAsync(ToolSandbox sandbox, SandboxView view, params string[] args) =>
        ToolRunner.RunAsync(MediaTools.Locate().Ffmpeg, ["-hide_banner", "-nostdin", "-v", "error", .. args], view, sandbox, null, null, CancellationToken.None);

    [Fact(Timeout = 30_000)]
    public async Task Bubblewrap_is_detected_on_this_machine_and_says_so()
    {
        var sandbox = await ToolSandbox.DetectAsync("auto", new ToolLimits(), MediaTools.Locate().Ffmpeg, CancellationToken.None);

        Assert.Equal(Isolation.Bubblewrap, sandbox.Isolation);
        Assert.StartsWith("bubblewrap", sandbox.Summary);
        Assert.Equal(Isolation.None, (await ToolSandbox.DetectAsync("none", new ToolLimits(), MediaTools.Locate().Ffmpeg, CancellationToken.None)).Isolation);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_mode_of_bubblewrap_refuses_to_start_when_the_tool_cannot_run_inside()
    {
        // A tool outside the sandbox's view of the system cannot load there: the trial run fails and the mode says no.
        var copy = _dir["ffmpeg-elsewhere"];
        File.Copy(MediaTools.Locate().Ffmpeg, copy);
        File.SetUnixFileMode(copy, (UnixFileMode)0b111_101_101);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ToolSandbox.DetectAsync("bubblewrap", new ToolLimits(), copy, CancellationToken.None));
        var fallback = await ToolSandbox.DetectAsync("auto", new ToolLimits(), copy, CancellationToken.None);

        Assert.Contains("Vexaa:Sandbox:Mode is bubblewrap", e.Message);
        Assert.Equal(Isolation.None, fallback.Isolation);
        Assert.Contains("bubblewrap unavailable", fallback.Summary);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("/etc/hostname")]
    [InlineData("/etc/passwd")]
    public async Task Ffmpeg_in_the_sandbox_cannot_read_a_system_file_outside_its_view(string path)
    {
        var view = SandboxView.Reading(media["pcm.mov"]);
        string[] args = ["-f", "data", "-i", "file:" + path, "-map", "0", "-c", "copy", "-f", "data", "-"];

        var outside = await RunAsync(ToolSandbox.LimitsOnly(new ToolLimits()), view, args);
        var inside = await RunAsync(await BubblewrapAsync(), view, args);

        Figures.Hostile("sandbox-read" + path.Replace('/', '-'), 1, inside.ExitCode == 0 ? 1 : 0);
        Assert.Equal(0, outside.ExitCode);
        Assert.NotEqual(0, inside.ExitCode);
        Assert.Contains("No such file or directory", inside.StderrTail);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ffmpeg_in_the_sandbox_sees_its_input_but_not_the_files_beside_it()
    {
        // As in the data folder: the job's input next to another user's upload.
        var mine = _dir["mine.mov"];
        var theirs = _dir["theirs.mov"];
        File.Copy(media["pcm.mov"], mine);
        File.Copy(media["pcm.mov"], theirs);
        var sandbox = await BubblewrapAsync();

        var own = await RunAsync(sandbox, SandboxView.Reading(mine), "-i", "file:" + mine, "-f", "null", "-");
        var other = await RunAsync(sandbox, SandboxView.Reading(mine), "-i", "file:" + theirs, "-f", "null", "-");

        Figures.Hostile("sandbox-read-file-beside-input", 1, other.ExitCode == 0 ? 1 : 0);
        Assert.Equal(0, own.ExitCode);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("No such file or directory", other.StderrTail);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ffmpeg_in_the_sandbox_cannot_write_outside_its_output_folder()
    {
        var output = Directory.CreateDirectory(_dir["out"]).FullName;
        var escape = _dir["escaped.wav"];
        var view = new SandboxView([media["pcm.mov"]], [output]);

        var result = await RunAsync(await BubblewrapAsync(), view, "-i", "file:" + media["pcm.mov"], "-y", Path.Combine(output, "ok.wav"), "-y", "file:" + escape);

        Figures.Hostile("sandbox-write-outside-output", 1, File.Exists(escape) ? 1 : 0);
        // The write outside lands in the sandbox's own throwaway folders (or fails); the real folder never sees it.
        Assert.True(new FileInfo(Path.Combine(output, "ok.wav")).Length > 1000, result.StderrTail);
        Assert.False(File.Exists(escape));
    }

    [Fact(Timeout = 30_000)]
    public async Task Ffmpeg_in_the_sandbox_cannot_reach_a_listener_on_loopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string[] args = ["-rw_timeout", "3000000", "-i", $"tcp://127.0.0.1:{port}", "-f", "null", "-"];
        var view = new SandboxView([], []);

        var inside = await RunAsync(await BubblewrapAsync(), view, args);
        var insideConnections = listener.Pending() ? 1 : 0;
        var outside = RunAsync(ToolSandbox.LimitsOnly(new ToolLimits()), view, args);
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        accepted.Close();
        await outside;

        Figures.Hostile("sandbox-loopback-connection", 1, inside.ExitCode == 0 || insideConnections > 0 ? 1 : 0);
        Assert.NotEqual(0, inside.ExitCode);
        Assert.Contains("Connection refused", inside.StderrTail);
        Assert.Equal(0, insideConnections);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_normal_conversion_in_the_sandbox_succeeds()
    {
        var tools = MediaTools.Locate() with { Sandbox = await BubblewrapAsync() };
        var extractor = new AudioExtractor(tools, new ExtractionLimits());
        var input = media["good-two-audio-tracks.mp4"];
        var info = await extractor.ProbeAsync(input, CancellationToken.None);
        var plan = ExtractionPlanner.Plan(info, new ExtractionOptions { Format = "mp3", AllTracks = true, Normalize = LoudnessTarget.Podcast });
        var outputs = plan.Outputs.Select((_, i) => _dir[$"{i}.mp3"]).ToList();

        var result = await extractor.RunAsync(input, info, plan, outputs, false, null, CancellationToken.None);

        Assert.Equal(2, result.Files.Count);
        Assert.All(outputs, o => Assert.True(new FileInfo(o).Length > 10_000));
        Assert.Equal(["0.mp3", "1.mp3"], _dir.Files());
    }
}
