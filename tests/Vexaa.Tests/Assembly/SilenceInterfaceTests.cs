using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>The silence options through the <c>vexaa</c> command and the jobs API: the same names, codes and results.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class SilenceInterfaceTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    [Fact(Timeout = 60_000)]
    public async Task Cli_trims_shortens_and_reports_the_pauses_it_found()
    {
        var r = await VexaaAsync("extract", media["pauses.mka"], "-o", _out["short.flac"], "--trim-silence", "--max-pause", "1", "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var result = r.Stdout.Split('\n').Where(l => l.Contains("\"result\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal(AssemblyMedia.Pauses.Select(p => p.Start), result.GetProperty("silences").EnumerateArray().Select(s => Math.Round(s.GetProperty("start").GetDouble(), 1)));
        Assert.Equal(8, await Proc.DecodedSecondsAsync(_out["short.flac"]), 0.05);
    }

    [Theory(Timeout = 60_000)]
    [InlineData("pauses.mka", new[] { "--split", "silence:5" }, 38, "no pause long enough")]
    [InlineData("silent.flac", new[] { "--trim-silence" }, 39, "silent throughout")]
    [InlineData("pauses.mka", new[] { "--max-pause", "0" }, 2, "--max-pause must be a pause")]
    [InlineData("pauses.mka", new[] { "--silence-threshold", "loud", "--trim-silence" }, 2, "silence threshold")]
    [InlineData("pauses.mka", new[] { "--split", "pauses" }, 22, "chapters or silence")]
    public async Task Cli_answers_each_silence_mistake_with_its_exit_code(string input, string[] options, int exit, string message)
    {
        var r = await VexaaAsync(["extract", media[input], "-o", _out[Guid.NewGuid().ToString("N") + ".flac"], .. options]);

        Assert.Equal(exit, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_trims_shortens_and_shows_the_pauses_on_its_input()
    {
        var id = await Api.SubmitOkAsync(_client, media["pauses.mka"], new() { ["format"] = "flac", ["trimSilence"] = "true", ["maxPause"] = "1" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal(8, job.GetProperty("results")[0].GetProperty("durationSeconds").GetDouble(), 0.05);
        var silences = job.GetProperty("input").GetProperty("probe").GetProperty("silences").EnumerateArray().ToList();
        Assert.Equal(AssemblyMedia.Pauses.Select(p => p.End), silences.Select(s => Math.Round(s.GetProperty("endSeconds").GetDouble(), 1)));
        Assert.True(job.GetProperty("options").GetProperty("trimSilence").GetBoolean());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_split_at_pauses_has_one_result_per_part_and_one_with_none_fails_with_no_pauses()
    {
        var id = await Api.SubmitOkAsync(_client, media["pauses.mka"], new() { ["format"] = "mp3", ["split"] = "silence:1" });
        var none = await Api.SubmitOkAsync(_client, media["pauses.mka"], new() { ["format"] = "mp3", ["split"] = "silence:5" });

        var job = await Api.WaitAsync(_client, id);
        Assert.True(job.Status() == "succeeded", job.ToString());
        Assert.Equal(["01 - Part 1.mp3", "02 - Part 2.mp3", "03 - Part 3.mp3"],
            job.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("fileName").GetString()));
        var failed = await Api.WaitAsync(_client, none);
        Assert.Equal("no-pauses", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("maxPause", "soon", "invalid-option")]
    [InlineData("silenceThreshold", "10", "invalid-option")]
    [InlineData("silenceMin", "-1", "invalid-option")]
    [InlineData("split", "pauses", "unknown-split-mode")]
    [InlineData("trimSilence", "maybe", "invalid-option")]
    public async Task A_job_with_a_wrong_silence_value_is_refused_before_it_exists(string field, string value, string code)
    {
        using var response = await Api.SubmitAsync(_client, media["pauses.mka"], new() { ["format"] = "flac", [field] = value });
        Assert.Equal((400, code), await Api.ProblemAsync(response));
    }
}
