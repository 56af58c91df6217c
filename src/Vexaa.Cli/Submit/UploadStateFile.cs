using System.Text.Json;

namespace Vexaa.Cli.Submit;

/// <summary>
/// Where unfinished uploads are remembered between runs, so `vexaa submit` started again after an interruption asks the
/// server how far it got instead of sending everything again: <c>$XDG_STATE_HOME/vexaa/uploads.json</c>
/// (<c>~/.local/state/vexaa/</c> by default), one entry per server, input file (path, size, modification time) and options.
/// </summary>
internal sealed class UploadStateFile(string path)
{
    // Entries older than this point at uploads the server has long expired.
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public sealed record Entry(string Url, long Length, string? Sha256, DateTimeOffset SavedAt);

    public static UploadStateFile Default()
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = string.IsNullOrEmpty(state)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state")
            : state;
        return new UploadStateFile(Path.Combine(root, "vexaa", "uploads.json"));
    }

    public async Task<Entry?> FindAsync(string key, CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).GetValueOrDefault(key);

    public Task SaveAsync(string key, Entry entry, CancellationToken cancellationToken) =>
        ChangeAsync(entries => entries[key] = entry, cancellationToken);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) =>
        ChangeAsync(entries => entries.Remove(key), cancellationToken);

    private async Task ChangeAsync(Action<Dictionary<string, Entry>> change, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var entries = await LoadAsync(cancellationToken);
            change(entries);
            foreach (var stale in entries.Where(e => DateTimeOffset.UtcNow - e.Value.SavedAt > KeepFor).Select(e => e.Key).ToList())
            {
                entries.Remove(stale);
            }

            // Written beside and renamed over: a run killed while saving leaves the previous file, never half of one.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + "." + Environment.ProcessId + ".tmp";
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(entries, CliOutput.Json), CancellationToken.None);
            if (!OperatingSystem.IsWindows())
            {
                // Upload addresses are the user's own business.
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<Dictionary<string, Entry>> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<Dictionary<string, Entry>>(stream, CliOutput.Json, cancellationToken) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            // No state yet, or a damaged file: start afresh rather than refuse to upload.
            return [];
        }
    }
}
