using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>
/// The archivist's whole path, from a video with chapters to a verified BagIt package holding a FLAC master and an MP3
/// access copy, both with the chapter markers and cover art: through the command line, and through the jobs API.
/// </summary>
[Collection(AssemblyCollection.Name)]
public sealed class ArchivistTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    /// <summary>Everything an archivist checks: fixity recomputed independently, `vexaa verify`, and both files' chapters and pictures.</summary>
    private async Task AssertArchiveAsync(string bag, string verifyTarget)
    {
        BagTests.AssertFixity(bag);
        var verified = await VexaaAsync("verify", verifyTarget);
        Assert.True(verified.ExitCode == 0, verified.Stderr);
        foreach (var file in new[] { "chapters.flac", "chapters.mp3" })
        {
            var path = Path.Combine(bag, "data", file);
            var chapters = await AssemblyMedia.ProbeChaptersAsync(path);
            Assert.Equal(AssemblyMedia.Chapters.Select(c => c.Title), chapters.Select(c => c.Title));
            Assert.Equal(AssemblyMedia.Chapters.Select(c => c.Start), chapters.Select(c => Math.Round(c.Start, 2)));
            var picture = await CoverPictures.ExtractAsync(path, _out.Path);
            var (width, height) = await CoverPictures.SizeAsync(picture);
            Assert.True(width == height && width > 0, $"{file}: a {width}×{height} cover");
        }

        Assert.Equal("flac", (await Proc.ProbeAsync(Path.Combine(bag, "data", "chapters.flac"))).Codec);
        Assert.Equal("mp3", (await Proc.ProbeAsync(Path.Combine(bag, "data", "chapters.mp3"))).Codec);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_command_line_makes_a_verified_bag_of_a_flac_master_and_an_mp3_copy_with_chapters_and_cover()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "--format", "flac,mp3", "--bitrate", "mp3=128k", "--cover", "auto",
            "--package", "bagit", "-o", _out["archive"] + "/");

        Assert.True(r.ExitCode == 0, r.Stderr);
        await AssertArchiveAsync(_out["archive"], _out["archive"]);

        // One changed byte in the access copy is found.
        var mp3 = _out["archive/data/chapters.mp3"];
        var bytes = await File.ReadAllBytesAsync(mp3);
        bytes[^100] ^= 0xff;
        await File.WriteAllBytesAsync(mp3, bytes);
        var changed = await VexaaAsync("verify", _out["archive"]);
        Assert.Equal(30, changed.ExitCode);
        Assert.Contains("data/chapters.mp3", changed.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_job_makes_the_same_bag_downloadable_as_one_zip()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["formats"] = "flac,mp3", ["bitrate"] = "mp3=128k", ["cover"] = "auto", ["package"] = "bagit" });
        var job = await Api.WaitAsync(_client, id);
        Assert.True(job.Status() == "succeeded", job.ToString());

        using var response = await _client.GetAsync($"/api/v1/jobs/archive?ids={id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await File.WriteAllBytesAsync(_out["job.zip"], await response.Content.ReadAsByteArrayAsync());
        await System.IO.Compression.ZipFile.ExtractToDirectoryAsync(_out["job.zip"], _out["job"], CancellationToken.None);
        await AssertArchiveAsync(_out["job"], _out["job.zip"]);
    }
}
