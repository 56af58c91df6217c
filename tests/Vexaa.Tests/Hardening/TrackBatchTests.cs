using System.Text.Json;
using Vexaa.Media;
using Vexaa.Tests.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>Memory does not grow with the number of normalised tracks, and a job's number of outputs is bounded.</summary>
[Collection(MediaCollection.Name)]
public sealed class TrackBatchTests(TestMedia media) : IDisposable
{
    private readonly TempDir _out = new();

    public void Dispose() => _out.Dispose();

    private static ExtractionPlan AllTracks(int count, bool normalize) =>
        ExtractionPlanner.Plan(Fake.Media([.. Enumerable.Range(0, count).Select(i => Fake.Track(i))]),
            new ExtractionOptions { Format = "mp3", AllTracks = true, Normalize = normalize ? LoudnessTarget.Find("podcast") : null });

    [Fact]
    public void Ten_normalised_tracks_run_as_three_ffmpeg_runs_of_at_most_four_loudnorm_filters()
    {
        var plan = AllTracks(10, normalize: true);

        var batches = ExtractionBatches.Split(plan);

        Assert.Equal([4, 4, 2], batches.Select(b => b.Outputs.Length));
        Assert.Equal(Enumerable.Range(0, 10), batches.SelectMany(b => b.Outputs));
        foreach (var (outputs, part) in batches)
        {
            Assert.Equal(outputs.Select(i => plan.Outputs[i].Track.StreamIndex), part.Outputs.Select(o => o.Track.StreamIndex));
            var measured = part.Outputs.Select(_ => (LoudnessMeasurement?)new LoudnessMeasurement(-20, -3, 5, -30, 0.5)).ToList();
            var args = FfmpegArguments.Extract("/in.mp4", part, [.. part.Outputs.Select((_, i) => $"/out{i}.mp3")], measured, 1000);
            var graph = args[args.IndexOf("-filter_complex") + 1];
            Assert.Equal(outputs.Length, graph.Split("loudnorm=").Length - 1);
            Assert.Equal(outputs.Length, FfmpegArguments.MeasureLoudness("/in.mp4", part).Count(a => a == "null"));
        }
    }

    [Fact]
    public void Tracks_that_are_not_normalised_are_written_in_one_run_reading_the_input_once()
    {
        var batches = ExtractionBatches.Split(AllTracks(10, normalize: false));
        Assert.Equal(10, Assert.Single(batches).Outputs.Length);
    }

    [Fact(Timeout = 120_000)]
    public async Task Six_normalised_tracks_end_to_end_each_get_their_own_loudness()
    {
        var input = _out["six.mkv"];
        List<string> args = [];
        for (var i = 0; i < 6; i++)
        {
            args.AddRange(["-f", "lavfi", "-i", $"sine=frequency={300 + 100 * i}:sample_rate=48000", ]);
        }

        for (var i = 0; i < 6; i++)
        {
            args.AddRange(["-map", $"{i}:a", "-filter:a:" + i, $"volume={0.1 + 0.15 * i}"]);
        }

        await Proc.FfmpegAsync([.. args, "-t", "3", "-c:a", "flac", input]);

        var r = await Proc.VexaaAsync(["extract", input, "-o", _out["six.mp3"], "--all-tracks", "--normalize", "podcast", "--json"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        var result = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("event").GetString() == "result");
        var files = result.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(6, files.Count);
        var inputs = files.Select(f => f.GetProperty("loudness").GetProperty("input").GetProperty("integratedLufs").GetDouble()).ToList();
        Assert.Equal(6, inputs.Distinct().Count());
        Assert.All(files, f => Assert.InRange(f.GetProperty("loudness").GetProperty("output").GetProperty("integratedLufs").GetDouble(), -17.5, -14.5));
        Assert.Equal(6, Directory.GetFiles(_out.Path, "six.track*.mp3").Length);
    }

    [Fact(Timeout = 60_000)]
    public async Task All_tracks_of_a_file_with_more_tracks_than_the_limit_is_refused_at_submission_naming_the_limit()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Limits__MaxOutputsPerJob"] = "1" });
        using var client = server.Client(server.AdminKey);

        using var refused = await Api.SubmitAsync(client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["allTracks"] = "true" });

        Assert.Equal((422, "too-many-outputs"), await Api.ProblemAsync(refused));
        Assert.Contains("Vexaa:Limits:MaxOutputsPerJob", (await Api.JsonAsync(refused)).GetProperty("detail").GetString());
        var one = await Api.SubmitOkAsync(client, media["good-two-audio-tracks.mp4"], new() { ["format"] = "mp3", ["track"] = "1" });
        Assert.Equal("succeeded", (await Api.WaitAsync(client, one)).Status());
    }

    [Fact(Timeout = 60_000)]
    public async Task The_cli_refuses_more_outputs_than_max_outputs_with_exit_21()
    {
        var r = await Proc.VexaaAsync(["extract", media["good-two-audio-tracks.mp4"], "-o", _out["two.mp3"], "--all-tracks", "--max-outputs", "1"]);
        Assert.Equal(21, r.ExitCode);
        Assert.Empty(Directory.GetFiles(_out.Path));
    }
}
