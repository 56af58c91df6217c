using System.Diagnostics;
using System.Text.Json;

namespace Vexaa.Tests.Support;

/// <summary>
/// Runs tests/js/tus-upload.mjs: the official tus-js-client in a real Node process, as a third-party client would upload.
/// Its npm dependencies come from `npm ci --prefix tests/js`, which ./test.sh runs when they are missing.
/// </summary>
public static class TusJs
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>What the script printed: the upload's URL and progress, or an error (exit code 1).</summary>
    public sealed record Result(int ExitCode, string? Url, long BytesUploaded, long BytesSent, bool Aborted, string? Error, string Stderr)
    {
        public string UploadId => Url is null ? throw new InvalidOperationException(Error) : Url[(Url.LastIndexOf('/') + 1)..];
    }

    public static async Task<Result> UploadAsync(
        Uri server, string apiKey, string file, string? resumeUrl = null, long? abortAfterBytes = null, int? chunkSize = null)
    {
        List<string> args = ["tus-upload.mjs", "--endpoint", new Uri(server, "/api/v1/uploads/").ToString(), "--key", apiKey, "--file", file];
        if (resumeUrl is not null)
        {
            args.AddRange(["--resume-url", resumeUrl]);
        }

        if (abortAfterBytes is { } n)
        {
            args.AddRange(["--abort-after-bytes", n.ToString()]);
        }

        if (chunkSize is { } size)
        {
            args.AddRange(["--chunk-size", size.ToString()]);
        }

        var (exitCode, stdout, stderr) = await RunNodeAsync(args);
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.True(line is not null, $"tus-upload.mjs printed nothing (exit {exitCode}): {stderr}");
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Result(
            exitCode,
            root.TryGetProperty("url", out var url) ? url.GetString() : null,
            root.TryGetProperty("bytesUploaded", out var uploaded) ? uploaded.GetInt64() : 0,
            root.TryGetProperty("bytesSent", out var sent) ? sent.GetInt64() : 0,
            root.TryGetProperty("aborted", out var aborted) && aborted.GetBoolean(),
            root.TryGetProperty("error", out var error) ? error.GetString() : null,
            stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = ScriptDirectory.Value,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung upload must not outlive the test: kill node and whatever it started.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"tus-upload.mjs did not finish within {Limit.TotalSeconds} s: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static readonly Lazy<string> ScriptDirectory = new(() =>
    {
        JsPackages.Require("tus-js-client");
        return JsPackages.Directory;
    });
}
