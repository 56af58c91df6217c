using System.Globalization;

namespace Vexaa.Media;

/// <summary>
/// Kernel resource limits (setrlimit) for one ffmpeg/ffprobe run, applied by util-linux's <c>prlimit</c> before the
/// tool starts: a decoder bug that loops, allocates or writes without end is stopped by the kernel, not by luck.
/// Null leaves a limit as the parent has it.
/// </summary>
public sealed record ToolLimits
{
    /// <summary>RLIMIT_AS: virtual address space; an allocation past it fails (ffmpeg reports "Cannot allocate memory").</summary>
    public long? AddressSpaceBytes { get; init; } = 8L << 30;

    /// <summary>RLIMIT_CPU: CPU seconds over all threads; the kernel sends SIGXCPU when they are used up.</summary>
    public long? CpuSeconds { get; init; } = 8 * 3600;

    /// <summary>RLIMIT_FSIZE: the largest file the tool may write; a write past it raises SIGXFSZ.</summary>
    public long? FileSizeBytes { get; init; } = 8L << 30;

    /// <summary>RLIMIT_NOFILE: open file descriptors.</summary>
    public int? OpenFiles { get; init; } = 1024;

    /// <summary>RLIMIT_NPROC: processes and threads of the user (the kernel does not apply it to root).</summary>
    public int? Processes { get; init; } = 4096;

    /// <summary>No limits at all (the tool runs as the parent would run it).</summary>
    public static ToolLimits Unlimited { get; } = new()
    {
        AddressSpaceBytes = null, CpuSeconds = null, FileSizeBytes = null, OpenFiles = null, Processes = null,
    };

    internal IEnumerable<string> PrlimitArguments()
    {
        // soft:hard equal, so the tool cannot raise its own limit back.
        static string Both(long value) => value.ToString(CultureInfo.InvariantCulture) + ":" + value.ToString(CultureInfo.InvariantCulture);

        if (AddressSpaceBytes is { } a) yield return "--as=" + Both(a);
        // CPU alone gets a higher hard limit: the soft one sends SIGXCPU (a recognisable exit), the hard one SIGKILL.
        if (CpuSeconds is { } c) yield return string.Create(CultureInfo.InvariantCulture, $"--cpu={c}:{c + 5}");
        if (FileSizeBytes is { } f) yield return "--fsize=" + Both(f);
        if (OpenFiles is { } n) yield return "--nofile=" + Both(n);
        if (Processes is { } p) yield return "--nproc=" + Both(p);
    }

    internal bool Any => AddressSpaceBytes is not null || CpuSeconds is not null || FileSizeBytes is not null || OpenFiles is not null || Processes is not null;

    /// <summary>A one-line summary for logs and /readyz.</summary>
    public override string ToString()
    {
        static string Or(object? value, string unit) => value is null ? "unlimited" : string.Create(CultureInfo.InvariantCulture, $"{value}{unit}");
        return $"memory {Or(AddressSpaceBytes / (1 << 20), " MiB")}, cpu {Or(CpuSeconds, " s")}, file {Or(FileSizeBytes / (1 << 20), " MiB")}, "
            + $"open files {Or(OpenFiles, "")}, processes {Or(Processes, "")}";
    }
}
