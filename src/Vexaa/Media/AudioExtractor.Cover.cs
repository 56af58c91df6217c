namespace Vexaa.Media;

// Where a run's cover is made: a hidden folder beside its outputs, so the extraction run, which may write that folder,
// can also read the cover inside its sandbox; readable by this user only, and removed with the run's temporary files.
public sealed partial class AudioExtractor
{
    private static string CoverFolder(string firstTemporary)
    {
        var folder = Path.Combine(Path.GetDirectoryName(firstTemporary)!, $".vexaa-cover-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    private static void DeleteCoverFolder(string? folder)
    {
        try
        {
            if (folder is not null && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // As with the .part files: the error that brought us here matters more than a stray hidden folder.
        }
    }
}
