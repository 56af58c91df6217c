using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using Vexaa.Storage;

namespace Vexaa.Tests.Support;

/// <summary>
/// A private s3rver (an S3-compatible server in Node, from tests/js) for the test run: its own folder, where each bucket is
/// a subfolder, on a loopback port it picks itself, stopped at the end. Tests that list or count objects use a fresh bucket.
/// </summary>
public sealed partial class S3Server : IAsyncLifetime
{
    // s3rver's built-in account; it checks signatures, so the SDK really signs.
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "vexaa-s3rver-" + Guid.NewGuid().ToString("N")[..8]);
    public string ServiceUrl { get; private set; } = "";

    /// <summary>What s3rver logged: a line per request (path and query, status), and one per stored part.</summary>
    public string Log
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>A bucket made at start, for tests that only read back what they wrote.</summary>
    public string Bucket { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var script = Path.Combine(JsPackages.Require("s3rver"), "bin", "s3rver.js");
        Directory.CreateDirectory(DataDirectory);
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { script, "-d", DataDirectory, "-a", "127.0.0.1", "-p", "0" })
        {
            info.ArgumentList.Add(a);
        }

        // Without the legacy provider, s3rver's paginated ListObjectsV2 fails with a 500 on current Node.
        info.Environment["NODE_OPTIONS"] = "--openssl-legacy-provider";
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = Process.Start(info)!;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Capture(e.Data, listening);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data, listening);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        ServiceUrl = $"http://127.0.0.1:{port}";
        Bucket = await CreateBucketAsync();
    }

    public async Task<string> CreateBucketAsync()
    {
        var name = "vexaa-" + Guid.NewGuid().ToString("N")[..12];
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>A client of its own, to look at the bucket independently of the store under test.</summary>
    public AmazonS3Client Client() =>
        new(AccessKey, SecretKey, new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>Settings s3rver needs: path-style, and no aws-chunked framing (it would store the framing inside the object).</summary>
    public S3Options Options(string bucket, string downloads = "proxy") => new()
    {
        ServiceUrl = ServiceUrl,
        Bucket = bucket,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        ForcePathStyle = true,
        UseChunkEncoding = false,
        PartSizeBytes = S3Options.MinPartSize,
        Downloads = downloads,
    };

    /// <summary>The same settings as environment variables for a `vexaa serve` process.</summary>
    public Dictionary<string, string> ServerSettings(string bucket, string downloads = "proxy")
    {
        var o = Options(bucket, downloads);
        return new()
        {
            ["Vexaa__Storage__Provider"] = "s3",
            ["Vexaa__Storage__S3__ServiceUrl"] = o.ServiceUrl!,
            ["Vexaa__Storage__S3__Bucket"] = bucket,
            ["Vexaa__Storage__S3__AccessKey"] = AccessKey,
            ["Vexaa__Storage__S3__SecretKey"] = SecretKey,
            ["Vexaa__Storage__S3__ForcePathStyle"] = "true",
            ["Vexaa__Storage__S3__UseChunkEncoding"] = "false",
            ["Vexaa__Storage__S3__PartSizeBytes"] = o.PartSizeBytes.ToString(),
            ["Vexaa__Storage__S3__Downloads"] = downloads,
        };
    }

    /// <summary>Every key in the bucket.</summary>
    public async Task<List<string>> KeysAsync(string bucket)
    {
        using var client = Client();
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token });
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private void Capture(string? line, TaskCompletionSource<int> listening)
    {
        if (line is null)
        {
            listening.TrySetException(new InvalidOperationException($"s3rver exited:\n{_output}"));
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (Listening().Match(line) is { Success: true } m)
        {
            listening.TrySetResult(int.Parse(m.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}

[CollectionDefinition(Name)]
public sealed class S3Collection : ICollectionFixture<S3Server>, ICollectionFixture<TestMedia>
{
    public const string Name = "s3";
}
