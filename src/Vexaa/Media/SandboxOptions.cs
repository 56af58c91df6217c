namespace Vexaa.Media;

/// <summary>
/// <c>Vexaa:Sandbox</c>: how every ffmpeg/ffprobe run is shut in. The limits apply whatever the mode; 0 turns one off.
/// Defaults are far above what a normal job needs (a 12-hour input to FLAC with loudness normalisation stays well
/// inside them) and far below what would hurt a shared machine.
/// </summary>
public sealed class SandboxOptions
{
    public const string Section = Settings.Root + ":Sandbox";

    /// <summary><c>auto</c> (bubblewrap where it works, else limits only), <c>bubblewrap</c> (refuse to start without it) or <c>none</c>.</summary>
    public string Mode { get; set; } = "auto";
    public long MaxMemoryBytes { get; set; } = 8L << 30;
    public long MaxCpuSeconds { get; set; } = 8 * 3600;
    public long MaxFileBytes { get; set; } = 8L << 30;
    public int MaxOpenFiles { get; set; } = 1024;
    public int MaxProcesses { get; set; } = 4096;

    public ToolLimits ToLimits() => new()
    {
        AddressSpaceBytes = MaxMemoryBytes > 0 ? MaxMemoryBytes : null,
        CpuSeconds = MaxCpuSeconds > 0 ? MaxCpuSeconds : null,
        FileSizeBytes = MaxFileBytes > 0 ? MaxFileBytes : null,
        OpenFiles = MaxOpenFiles > 0 ? MaxOpenFiles : null,
        Processes = MaxProcesses > 0 ? MaxProcesses : null,
    };

    public IEnumerable<string> Problems()
    {
        const string prefix = Section;
        if (Mode is not ("auto" or "bubblewrap" or "none")) yield return $"{prefix}:Mode must be auto, bubblewrap or none (it is '{Mode}').";
        // Below these, ffmpeg cannot even load its libraries; the message is clearer than every job failing.
        if (MaxMemoryBytes is > 0 and < 256L << 20) yield return $"{prefix}:MaxMemoryBytes must be 0 (no limit) or at least 268435456 (it is {MaxMemoryBytes}).";
        if (MaxCpuSeconds < 0) yield return $"{prefix}:MaxCpuSeconds must be 0 (no limit) or more (it is {MaxCpuSeconds}).";
        if (MaxFileBytes < 0) yield return $"{prefix}:MaxFileBytes must be 0 (no limit) or more (it is {MaxFileBytes}).";
        if (MaxOpenFiles is > 0 and < 32) yield return $"{prefix}:MaxOpenFiles must be 0 (no limit) or at least 32 (it is {MaxOpenFiles}).";
        if (MaxProcesses is > 0 and < 16) yield return $"{prefix}:MaxProcesses must be 0 (no limit) or at least 16 (it is {MaxProcesses}).";
    }
}
