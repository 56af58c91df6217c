using System.Globalization;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Faults;

/// <summary>
/// A tmpfs of a few megabytes mounted on a folder (the tests run as root, as CI does), so that a real server writing
/// there meets a real "No space left on device". It can be grown while mounted, as an operator freeing room would.
/// </summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallDisk> MountAsync(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var r = await Proc.RunAsync("mount", ["-t", "tmpfs", "-o", Size(bytes) + ",mode=0700", "tmpfs", path]);
        Assert.True(r.ExitCode == 0, $"The disk-full tests mount a tmpfs and need root (or CAP_SYS_ADMIN): {r.Stderr}");
        return new SmallDisk(path);
    }

    /// <summary>Makes room: the file system grows in place, what is on it stays.</summary>
    public async Task ResizeAsync(long bytes)
    {
        var r = await Proc.RunAsync("mount", ["-o", "remount," + Size(bytes), Path]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    /// <summary>Every file on the disk, relative to it.</summary>
    public string[] Files() =>
        [.. Directory.GetFiles(Path, "*", SearchOption.AllDirectories).Select(f => System.IO.Path.GetRelativePath(Path, f))];

    public async ValueTask DisposeAsync()
    {
        // Lazily: a server still being torn down may hold a file open.
        await Proc.RunAsync("umount", ["-l", Path]);
    }

    private static string Size(long bytes) => "size=" + bytes.ToString(CultureInfo.InvariantCulture);
}
