namespace Vexaa.Storage;

/// <summary>
/// Tells a full disk (or an exhausted quota) from other I/O errors: it is nobody's fault and passes once there is room, so
/// uploads answer 507 with Retry-After and jobs are retried, instead of a 500 or a failure blamed on the input.
/// </summary>
public static class DiskFull
{
    // On Unix .NET puts the errno in HResult: ENOSPC 28, EDQUOT 122 (Linux) or 69 (BSD, macOS).
    // On Windows: ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL.
    private static readonly int[] Codes = OperatingSystem.IsWindows()
        ? [unchecked((int)0x80070027), unchecked((int)0x80070070)]
        : OperatingSystem.IsLinux() ? [28, 122] : [28, 69];

    /// <summary>True when <paramref name="error"/>, or an exception inside it, is a write that failed for want of room.</summary>
    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IOException && Codes.Contains(e.HResult))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The one sentence users see; it names no folder of this server.</summary>
    public const string Message = "The server ran out of disk space; nothing was kept. Try again later.";
}
