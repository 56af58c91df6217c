using System.Net;
using System.Security.Cryptography;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Assembly;

/// <summary>BagIt packages (RFC 8493) from the CLI and the API, checked by an independent recomputation and by <c>vexaa verify</c>.</summary>
[Collection(AssemblyCollection.Name)]
public sealed class BagTests(AssemblyMedia media, SharedServer shared) : IClassFixture<SharedServer>, IDisposable
{
    private readonly TempDir _out = new();
    private readonly HttpClient _client = shared.Server.Client(shared.Server.AdminKey);

    public void Dispose()
    {
        _client.Dispose();
        _out.Dispose();
    }

    private Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args, _out.Path);

    private async Task<string> BagAsync(string name = "bag")
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out[name] + "/", "--format", "flac,mp3", "--bitrate", "mp3=128k",
            "--package", "bagit", "--source-organization", "Example Archive");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return _out[name];
    }

    /// <summary>Recomputes every checksum of every manifest without VExAA's code, and checks each payload file is listed.</summary>
    internal static void AssertFixity(string bag)
    {
        foreach (var (manifest, algorithm) in new[] { ("manifest-sha256.txt", "sha256"), ("manifest-sha512.txt", "sha512"), ("tagmanifest-sha256.txt", "sha256") })
        {
            var lines = File.ReadAllLines(Path.Combine(bag, manifest)).Where(l => l.Length > 0).Select(l => (Sum: l[..l.IndexOf(' ')], File: l[(l.IndexOf(' ') + 2)..])).ToList();
            Assert.NotEmpty(lines);
            foreach (var (sum, file) in lines)
            {
                var bytes = File.ReadAllBytes(Path.Combine(bag, file));
                Assert.Equal(Convert.ToHexStringLower(algorithm == "sha256" ? SHA256.HashData(bytes) : SHA512.HashData(bytes)), sum);
            }

            if (!manifest.StartsWith("tag", StringComparison.Ordinal))
            {
                var payload = Directory.GetFiles(Path.Combine(bag, "data"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bag, f)).Order(StringComparer.Ordinal);
                Assert.Equal(payload, lines.Select(l => l.File).Order(StringComparer.Ordinal));
            }
        }
    }

    /// <summary>data/metadata.json: the source's probe and checksum, the parameters, the ffmpeg build and arguments, and each output.</summary>
    private async Task AssertMetadataAsync(string bag, string ffmpegVersion, string commandLine)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(bag, "data", "metadata.json")));
        var root = document.RootElement;
        Assert.Equal("vexaa-bag-metadata/1", root.GetProperty("schema").GetString());
        Assert.Equal(ffmpegVersion, root.GetProperty("ffmpeg").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media["chapters.mp4"]))), root.GetProperty("source").GetProperty("sha256").GetString());
        var probe = root.GetProperty("probe");
        Assert.Equal(new FileInfo(media["chapters.mp4"]).Length, probe.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(3, probe.GetProperty("chapters").GetArrayLength());
        Assert.Equal("aac", probe.GetProperty("audioTracks")[0].GetProperty("codec").GetString());
        Assert.Equal(["flac", "mp3"], root.GetProperty("parameters").GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(128, root.GetProperty("parameters").GetProperty("formatBitrates").GetProperty("mp3").GetInt32());
        Assert.Contains(commandLine, root.GetProperty("ffmpegArguments").EnumerateArray().Select(a => a.GetString()));
        var outputs = root.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(["data/chapters.flac", "data/chapters.mp3"], outputs.Select(o => o.GetProperty("file").GetString()).Order(StringComparer.Ordinal));
        foreach (var output in outputs)
        {
            var file = Path.Combine(bag, output.GetProperty("file").GetString()!);
            Assert.Equal(new FileInfo(file).Length, output.GetProperty("sizeBytes").GetInt64());
            Assert.Equal(3, output.GetProperty("chapters").GetArrayLength());
            Assert.True(output.GetProperty("duration").GetDouble() > 1);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_writes_a_bag_that_holds_both_formats_and_says_how_they_were_made()
    {
        var bag = await BagAsync();

        Assert.Equal(["bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt"],
            Directory.GetFiles(bag).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["chapters.flac", "chapters.mp3", "metadata.json"], Directory.GetFiles(Path.Combine(bag, "data")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", await File.ReadAllTextAsync(Path.Combine(bag, "bagit.txt")));
        AssertFixity(bag);
        var info = (await File.ReadAllLinesAsync(Path.Combine(bag, "bag-info.txt"))).Select(l => (Label: l[..l.IndexOf(':')], Value: l[(l.IndexOf(':') + 2)..])).ToList();
        string Value(string label) => info.Single(i => i.Label == label).Value;
        var payload = Directory.GetFiles(Path.Combine(bag, "data"));
        Assert.Equal($"{payload.Sum(f => new FileInfo(f).Length)}.3", Value("Payload-Oxum"));
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Value("Bagging-Date"));
        Assert.Equal("Example Archive", Value("Source-Organization"));
        Assert.Equal("chapters.mp4", Value("VExAA-Source-File"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media["chapters.mp4"]))), Value("VExAA-Source-SHA256"));
        Assert.StartsWith("1.", Value("VExAA-Version"));
        var command = Value("VExAA-FFmpeg-Command");
        Assert.Contains("-c:a flac", command);
        Assert.Contains("-c:a libmp3lame -b:a 128k", command);
        var ffmpeg = (await Proc.RunAsync("ffmpeg", ["-hide_banner", "-version"])).Stdout.Split('\n')[0];
        Assert.StartsWith(Value("VExAA-FFmpeg-Version"), ffmpeg);
        Assert.StartsWith("ffmpeg version ", Value("VExAA-FFmpeg-Version"));
        await AssertMetadataAsync(bag, Value("VExAA-FFmpeg-Version"), command);

        var verified = await VexaaAsync("verify", bag);
        Assert.True(verified.ExitCode == 0, verified.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_names_a_changed_byte_with_exit_30()
    {
        var bag = await BagAsync();
        var mp3 = Path.Combine(bag, "data", "chapters.mp3");
        var bytes = await File.ReadAllBytesAsync(mp3);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(mp3, bytes);

        var r = await VexaaAsync("verify", bag);

        Assert.Equal(30, r.ExitCode);
        Assert.StartsWith("vexaa: bag-invalid: data/chapters.mp3: changed", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_names_a_missing_file_with_exit_30()
    {
        var bag = await BagAsync();
        File.Delete(Path.Combine(bag, "data", "chapters.flac"));

        var r = await VexaaAsync("verify", bag);

        Assert.Equal(30, r.ExitCode);
        Assert.StartsWith("vexaa: bag-invalid: data/chapters.flac: missing", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_names_an_extra_payload_file_with_exit_30()
    {
        var bag = await BagAsync();
        await File.WriteAllTextAsync(Path.Combine(bag, "data", "notes.txt"), "added later");

        var r = await VexaaAsync("verify", bag);

        Assert.Equal(30, r.ExitCode);
        Assert.StartsWith("vexaa: bag-invalid: data/notes.txt: not listed in manifest-sha256.txt", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_names_a_changed_tag_file_with_exit_30()
    {
        var bag = await BagAsync();
        await File.AppendAllTextAsync(Path.Combine(bag, "bag-info.txt"), "Contact-Name: someone\n");

        var r = await VexaaAsync("verify", bag);

        Assert.Equal(30, r.ExitCode);
        Assert.Contains("bag-info.txt: changed", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_answers_a_folder_that_is_no_bag_with_exit_31()
    {
        Directory.CreateDirectory(_out["plain"]);
        await File.WriteAllTextAsync(_out["plain/a.mp3"], "x");

        var r = await VexaaAsync("verify", _out["plain"]);
        var none = await VexaaAsync("verify", _out["nowhere"]);

        Assert.Equal(31, r.ExitCode);
        Assert.Contains("not-a-bag", r.Stderr);
        Assert.Equal(31, none.ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_writes_a_zipped_bag_when_the_output_ends_in_zip()
    {
        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["bag.zip"], "--format", "flac,mp3", "--package", "bagit");

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["bag.zip"], _out.Files());
        var verified = await VexaaAsync("verify", _out["bag.zip"]);
        Assert.True(verified.ExitCode == 0, verified.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cli_refuses_a_bag_in_a_folder_that_already_holds_files()
    {
        Directory.CreateDirectory(_out["full"]);
        await File.WriteAllTextAsync(_out["full/old.txt"], "x");

        var r = await VexaaAsync("extract", media["chapters.mp4"], "-o", _out["full"] + "/", "--package", "bagit");

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("not empty", r.Stderr);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_bagit_job_downloads_as_a_bag_that_verifies()
    {
        var id = await Api.SubmitOkAsync(_client, media["chapters.mp4"], new() { ["formats"] = "flac,mp3", ["package"] = "bagit" });
        var job = await Api.WaitAsync(_client, id);

        Assert.True(job.Status() == "succeeded", job.ToString());
        var results = job.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["chapters.flac", "chapters.mp3", "chapters-bag.zip"], results.Select(x => x.GetProperty("fileName").GetString()));
        Assert.Equal("bagit", results[2].GetProperty("format").GetString());
        using var response = await _client.GetAsync($"/api/v1/jobs/archive?ids={id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chapters-bag.zip", response.Content.Headers.ContentDisposition?.ToString());
        await File.WriteAllBytesAsync(_out["job.zip"], await response.Content.ReadAsByteArrayAsync());

        var verified = await VexaaAsync("verify", _out["job.zip"]);
        Assert.True(verified.ExitCode == 0, verified.Stderr);
        await System.IO.Compression.ZipFile.ExtractToDirectoryAsync(_out["job.zip"], _out["job"], CancellationToken.None);
        AssertFixity(_out["job"]);
        Assert.Contains("VExAA-Source-SHA256: " + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media["chapters.mp4"]))),
            await File.ReadAllTextAsync(_out["job/bag-info.txt"]));
        using var metadata = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(_out["job/data/metadata.json"]));
        Assert.Equal(["data/chapters.flac", "data/chapters.mp3"], metadata.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("file").GetString()));
        Assert.StartsWith("ffmpeg version ", metadata.RootElement.GetProperty("ffmpeg").GetString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_job_with_an_unknown_package_is_refused()
    {
        using var response = await Api.SubmitAsync(_client, media["chapters.mp4"], new() { ["package"] = "zip" });

        Assert.Equal((400, "invalid-option"), await Api.ProblemAsync(response));
    }
}
