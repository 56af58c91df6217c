namespace Vexaa.Media;

/// <summary>Where ffmpeg and ffprobe live. Found on PATH unless VEXAA_FFMPEG / VEXAA_FFPROBE name them.</summary>
public sealed record MediaTools(string Ffmpeg, string Ffprobe)
{
    /// <summary>The limits and isolation every run of either tool gets.</summary>
    public ToolSandbox Sandbox { get; init; } = ToolSandbox.Off;

    /// <summary>Locates the tools, or throws <see cref="MediaError.ToolNotFound"/> with the install command.</summary>
    public static MediaTools Locate()
    {
        var ffmpeg = Find(Environment.GetEnvironmentVariable("VEXAA_FFMPEG"), "ffmpeg");
        var ffprobe = Find(Environment.GetEnvironmentVariable("VEXAA_FFPROBE"), "ffprobe");
        return new MediaTools(ffmpeg, ffprobe);
    }

    private static string Find(string? configured, string name)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new MediaException(MediaError.ToolNotFound, $"{name} was configured as '{configured}', but that file does not exist.");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new MediaException(MediaError.ToolNotFound, $"{name} is not installed or not on PATH (on Debian: sudo apt-get install ffmpeg).");
    }
}
