namespace Vexaa.Data;

/// <summary>
/// Holds an exclusive lock on the data folder for the life of a server or worker process. SQLite and the local file
/// store belong to one host: a second host on the same folder would run the same jobs twice, so it refuses to start.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream stream) => _lock = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            // The folder holds the embedded database and its secrets: the owner's alone.
            Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var path = Path.Combine(dataDirectory, "vexaa.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Linux; the kernel drops it when the process dies.
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Another VExAA process is already using the data folder '{Path.GetFullPath(dataDirectory)}'. " +
                "The embedded SQLite database serves one host; to run several, configure Vexaa:Database:Provider=mysql and shared storage.");
        }
    }

    public void Dispose() => _lock.Dispose();
}
