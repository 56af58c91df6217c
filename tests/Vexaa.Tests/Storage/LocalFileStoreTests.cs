using Vexaa.Storage;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Storage;

public sealed class LocalFileStoreTests
{
    [Fact]
    public async Task Temporary_files_a_crash_left_are_removed_once_old_with_their_empty_folder()
    {
        using var dir = new TempDir();
        var store = new LocalFileStore(dir.Path);
        await store.PutAsync("jobs/done/input", new MemoryStream([1, 2, 3]), CancellationToken.None);
        var abandoned = Path.Combine(dir.Path, "jobs", "crashed", "input.part-0123");
        var inProgress = Path.Combine(dir.Path, "jobs", "uploading", "input.part-4567");
        foreach (var file in new[] { abandoned, inProgress })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, [1, 2, 3]);
        }

        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddDays(-2));

        var removed = await store.DeleteIncompleteAsync(TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(Path.GetDirectoryName(abandoned)));
        Assert.True(File.Exists(inProgress));
        Assert.NotNull(await store.StatAsync("jobs/done/input", CancellationToken.None));
    }
}
