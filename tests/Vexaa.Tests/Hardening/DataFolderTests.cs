using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>The embedded database holds secrets: its folder is the owner's alone, its files readable by the owner only.</summary>
public sealed class DataFolderTests
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact(Timeout = 60_000)]
    public async Task A_new_data_folder_is_0700_and_the_database_files_0600()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);

        Assert.Equal(Folder, File.GetUnixFileMode(server.DataDirectory));
        foreach (var file in Directory.GetFiles(server.DataDirectory, "vexaa.db*"))
        {
            Assert.True(File.GetUnixFileMode(file) == Private, $"{file}: {File.GetUnixFileMode(file)}");
        }

        Assert.Contains(Path.Combine(server.DataDirectory, "vexaa.db-wal"), Directory.GetFiles(server.DataDirectory));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_existing_world_readable_data_folder_and_database_are_tightened_at_start()
    {
        var data = Path.Combine(Path.GetTempPath(), "vexaa-open-" + Guid.NewGuid().ToString("N")[..8]);
        // Stopped, not disposed: disposing would delete the folder.
        var first = await ServerProcess.StartAsync(workers: 0, dataDirectory: data);
        await first.StopAsync();

        File.SetUnixFileMode(data, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(data, "vexaa.db"), Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var second = await ServerProcess.StartAsync(workers: 0, dataDirectory: data);

        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(data, "vexaa.db")));
    }
}
