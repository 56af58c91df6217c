using System.Net;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>The assembly features through the two front ends people use: the <c>vexaa</c> command and the jobs API.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class AssemblyInterfaceTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Vexaa.Cli.dll");
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.RunAsync("dotnet", [Cli, .. args], workingDirectory: _out.Path);

    private async Task<string> DownloadAsync(string url, string name)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await File.WriteAllBytesAsync(_out[name], await response.Content.ReadAsByteArrayAsync());
        return _out[name];
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_writes_the_cut_chapters_as_markers_and_as_json()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["cut.mp3"], "--start", "1", "--end", "6", "--chapters-json", _out["chapters.json"]);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("3 chapters", r.Stdout);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(_out["chapters.json"]));
        var chapters = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["Intro", "Main part", "Outro/End: \"x\""], chapters.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal([0, 1, 4], chapters.Select(c => c.GetProperty("start").GetDouble()));
        Assert.Equal([1, 4, 5], chapters.Select(c => c.GetProperty("end").GetDouble()));
        Assert.Equal([0, 1, 4], (await AssemblyMedia.ProbeChaptersAsync(_out["cut.mp3"])).Select(c => Math.Round(c.Start, 2)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_refuses_chapters_json_with_several_inputs()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], media["chapters.mp4"], "-o", _out.Path + "/", "--chapters-json", _out["c.json"]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--chapters-json takes one input", r.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_job_reports_the_chapters_it_wrote_into_its_result()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["format"] = "flac", ["start"] = "3", ["end"] = "6.5" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var result = job.GetProperty("results")[0];
        var chapters = result.GetProperty("chapters").EnumerateArray().ToList();
        Assert.Equal(["Main part", "Outro/End: \"x\""], chapters.Select(c => c.GetProperty("title").GetString()));
        Assert.Equal([0, 2], chapters.Select(c => c.GetProperty("startSeconds").GetDouble()));
        var file = await DownloadAsync(result.GetProperty("url").GetString()!, "job.flac");
        Assert.Equal(["Main part", "Outro/End: \"x\""], (await AssemblyMedia.ProbeChaptersAsync(file)).Select(c => c.Title));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_splits_by_chapters_into_the_output_folder()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--split", "chapters", "-o", _out["parts"], "--format", "mp3", "--json");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["01 - Intro.mp3", "02 - Main part.mp3", "03 - Outro_End_ _x_.mp3"], Directory.GetFiles(_out["parts"]).Select(Path.GetFileName).Order());
        var result = r.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("\"result\"", StringComparison.Ordinal)).Select(l => JsonDocument.Parse(l).RootElement).Single();
        Assert.Equal([1, 2, 3], result.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("part").GetInt32()));
        Assert.Equal("Main part", (await Proc.ProbeAsync(_out["parts/02 - Main part.mp3"])).Tags["title"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_answers_an_unknown_split_mode_with_its_exit_code()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--split", "scenes");

        Assert.Equal(22, r.ExitCode);
        Assert.Contains("Split mode 'scenes' is not known", r.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_split_job_has_one_result_per_chapter_and_one_zip()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["format"] = "opus", ["split"] = "chapters" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var results = job.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["01 - Intro.opus", "02 - Main part.opus", "03 - Outro_End_ _x_.opus"], results.Select(x => x.GetProperty("fileName").GetString()));
        Assert.Equal([1, 2, 3], results.Select(x => x.GetProperty("part").GetInt32()));
        Assert.Equal("chapters", job.GetProperty("options").GetProperty("split").GetString());
        var second = await DownloadAsync(results[1].GetProperty("url").GetString()!, "second.opus");
        Assert.InRange(await Proc.DecodedSecondsAsync(second), 2.97, 3.03);

        var zip = await DownloadAsync($"/api/v1/jobs/archive?ids={id}", "all.zip");
        await using var archive = await System.IO.Compression.ZipFile.OpenReadAsync(zip, CancellationToken.None);
        Assert.Equal(results.Select(x => x.GetProperty("fileName").GetString()), archive.Entries.Select(e => e.FullName));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_with_an_unknown_split_mode_is_refused_with_its_code()
    {
        using var response = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["split"] = "scenes" });

        var (status, code) = await Api.ProblemAsync(response);
        Assert.Equal(400, status);
        Assert.Equal("unknown-split-mode", code);
    }
}
