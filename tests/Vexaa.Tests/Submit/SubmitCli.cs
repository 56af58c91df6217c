using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

/// <summary>Runs `vexaa submit` as a process against a server, with its own upload state folder.</summary>
public sealed class SubmitCli(Uri server, string apiKey, string workingDirectory) : IDisposable
{
    private readonly TempDir _state = new();

    public string StateFile => Path.Combine(_state.Path, "vexaa", "uploads.json");

    public Dictionary<string, string> Environment(Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["VEXAA_SERVER"] = server.ToString(),
            ["VEXAA_API_KEY"] = apiKey,
            ["XDG_STATE_HOME"] = _state.Path,
        };
        foreach (var (k, v) in extra ?? [])
        {
            env[k] = v;
        }

        return env;
    }

    public Task<Proc.Result> RunAsync(string[] args, Dictionary<string, string>? env = null) =>
        Proc.VexaaAsync(["submit", .. args], workingDirectory, Environment(env));

    /// <summary>Starts submit with --json and hands its stdout lines over as they come, for tests that act mid-run.</summary>
    public Running Start(string[] args, Dictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in (string[])[Proc.VexaaDll, "submit", .. args, "--json"])
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in Environment(env))
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info)!;
        var lines = Channel.CreateUnbounded<JsonElement>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines.Writer.TryComplete();
            }
            else if (e.Data.StartsWith('{'))
            {
                lines.Writer.TryWrite(JsonDocument.Parse(e.Data).RootElement.Clone());
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Running(process, lines.Reader);
    }

    public void Dispose() => _state.Dispose();

    public sealed class Running(Process process, ChannelReader<JsonElement> lines) : IDisposable
    {
        public Process Process => process;

        /// <summary>Reads events until one matches; fails when the process ends first.</summary>
        public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match)
        {
            await foreach (var line in lines.ReadAllAsync())
            {
                if (match(line))
                {
                    return line;
                }
            }

            throw new InvalidOperationException($"submit ended (exit {process.ExitCode}) before the awaited event.");
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    /// <summary>All JSON lines of a --json run.</summary>
    public static List<JsonElement> Events(Proc.Result r) =>
        [.. r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public static string Event(JsonElement e) => e.GetProperty("event").GetString()!;

    /// <summary>The decoded samples of every audio track (as 32-bit float PCM), hashed; and how many samples per channel.</summary>
    public static async Task<(string Sha256, long Samples)> DecodedAsync(string path)
    {
        var pcm = path + ".pcm";
        await Proc.FfmpegAsync("-i", path, "-map", "0:a:0", "-f", "f32le", "-c:a", "pcm_f32le", pcm);
        var bytes = await File.ReadAllBytesAsync(pcm);
        File.Delete(pcm);
        var channels = (await Proc.ProbeAsync(path)).Channels;
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength / 4 / channels);
    }
}
