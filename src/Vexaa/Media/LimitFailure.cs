namespace Vexaa.Media;

/// <summary>Recognises a run that the kernel stopped at one of its <see cref="ToolLimits"/>, so the job fails with a clear reason.</summary>
internal static class LimitFailure
{
    // A process killed by signal N reports exit code 128 + N (through .NET and through bubblewrap alike).
    private const int Sigxcpu = 128 + 24;
    private const int Sigxfsz = 128 + 25;

    // ffmpeg catches SIGXCPU (as it catches SIGTERM) and exits 255 after cleaning up. This process only ever stops
    // ffmpeg with SIGKILL, and bubblewrap gives it a session of its own, so a 255 with a CPU limit set is the limit.
    private const int CaughtSignal = 255;

    public static MediaException? Classify(int exitCode, string stderrTail, ToolLimits limits)
    {
        string? why = exitCode switch
        {
            Sigxcpu or CaughtSignal when limits.CpuSeconds is { } s => $"it used its {s:N0} CPU seconds",
            Sigxfsz when limits.FileSizeBytes is { } b => $"it tried to write a file larger than {b:N0} bytes",
            _ when limits.AddressSpaceBytes is { } m && (stderrTail.Contains("Cannot allocate memory", StringComparison.Ordinal)
                    || stderrTail.Contains("get_buffer() failed", StringComparison.Ordinal))
                => $"it needed more than its {m / (1 << 20):N0} MiB of memory",
            _ when limits.OpenFiles is { } n && stderrTail.Contains("Too many open files", StringComparison.Ordinal)
                => $"it needed more than {n:N0} open files",
            _ when limits.Processes is { } p && stderrTail.Contains("Resource temporarily unavailable", StringComparison.Ordinal)
                => $"it needed more than {p:N0} processes or threads",
            _ => null,
        };
        return why is null
            ? null
            : new MediaException(MediaError.ResourceLimitExceeded, $"The conversion was stopped because {why}; the input needs more than this server allows.", stderrTail);
    }
}
