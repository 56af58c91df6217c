using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>
/// A real `vexaa serve` whose stored files (<c>files/</c>) or scratch space (<c>tmp/</c>) live on a small tmpfs, plus a
/// short clip to convert. The disk is detached before the server's folder is deleted.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private FaultServer(ServerProcess server, SmallDisk disk, string clip)
    {
        Server = server;
        Disk = disk;
        Clip = clip;
    }

    public ServerProcess Server { get; }
    public SmallDisk Disk { get; }

    /// <summary>5 s of 48 kHz stereo AAC in MP4 (about 80 KB); as WAV it is about 1 MB.</summary>
    public string Clip { get; }

    public string DataDirectory => Server.DataDirectory;

    /// <param name="folder"><c>files</c> or <c>tmp</c>, under the data folder.</param>
    public static async Task<FaultServer> StartAsync(string folder, long diskBytes, Dictionary<string, string>? settings = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "vexaa-fault-" + Guid.NewGuid().ToString("N")[..10]);
        var disk = await SmallDisk.MountAsync(Path.Combine(data, folder), diskBytes);
        var clip = Path.Combine(data + "-clip.mp4");
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "5", "-c:a", "aac", "-b:a", "128k", clip);
        try
        {
            return new FaultServer(await ServerProcess.StartAsync(workers: 1, settings, data), disk, clip);
        }
        catch
        {
            await disk.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client() => Server.Client(Server.AdminKey);

    /// <summary>The job once <paramref name="done"/> holds, polled.</summary>
    public async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement job = default;
        while (DateTime.UtcNow < deadline)
        {
            job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
            if (done(job))
            {
                return job;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Job {id} never got there: {job}\n{Server.Output}");
    }

    /// <summary>Files under the data folder's <paramref name="folder"/> (relative paths), for checking leftovers.</summary>
    public string[] FilesUnder(params string[] folder)
    {
        var path = Path.Combine([DataDirectory, .. folder]);
        return Directory.Exists(path) ? [.. Directory.GetFiles(path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DataDirectory, f))] : [];
    }

    public async ValueTask DisposeAsync()
    {
        await Disk.DisposeAsync();
        await Server.DisposeAsync();
        File.Delete(Clip);
    }
}
