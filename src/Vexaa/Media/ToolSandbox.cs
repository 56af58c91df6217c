namespace Vexaa.Media;

/// <summary>How far ffmpeg/ffprobe are shut in.</summary>
public enum Isolation
{
    /// <summary>Resource limits only: the tool sees the machine as this process does.</summary>
    None,

    /// <summary>bubblewrap: no network, no other processes, system files read-only, only the job's input and output folder.</summary>
    Bubblewrap,
}

/// <summary>What one run may touch: files it reads and folders it writes. Everything else is outside its view.</summary>
internal sealed record SandboxView(IReadOnlyList<string> ReadOnly, IReadOnlyList<string> Writable)
{
    public static SandboxView Reading(string file) => new([file], []);
}

/// <summary>
/// Wraps each ffmpeg/ffprobe run in resource limits (<c>prlimit</c>) and, where the machine allows user namespaces,
/// in a bubblewrap sandbox: defence in depth behind the protocol and format allow-lists, so that a future bug in a
/// demuxer or decoder can neither read other users' files nor reach the network. Every argument is a list element;
/// nothing passes through a shell.
/// </summary>
public sealed class ToolSandbox
{
    internal const string Prlimit = "/usr/bin/prlimit";
    internal const string Bwrap = "/usr/bin/bwrap";

    // The system as the tools need it, read-only: libraries, the dynamic loader's cache and Debian's alternatives
    // (ffmpeg's BLAS/LAPACK resolve through /etc/alternatives). Not /etc as a whole: it names users, hosts and keys.
    private static readonly string[] SystemFiles = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives"];

    private ToolSandbox(Isolation isolation, ToolLimits limits, string reason)
    {
        Isolation = isolation;
        Limits = limits;
        Reason = reason;
    }

    /// <summary>No isolation and no limits: how the tools ran before the sandbox existed.</summary>
    public static ToolSandbox Off { get; } = new(Isolation.None, ToolLimits.Unlimited, "sandbox off");

    public Isolation Isolation { get; }
    public ToolLimits Limits { get; }

    /// <summary>Why this isolation is the one in force (for the start-up log and /readyz).</summary>
    public string Reason { get; }

    /// <summary>One line: the isolation, the limits and why.</summary>
    public string Summary => $"{(Isolation == Isolation.Bubblewrap ? "bubblewrap" : "none")} ({Reason}); limits: {Limits}";

    /// <summary>Resource limits without isolation.</summary>
    public static ToolSandbox LimitsOnly(ToolLimits limits, string reason = "isolation not requested") => new(Isolation.None, limits, reason);

    /// <summary>
    /// Chooses the isolation for <paramref name="mode"/> (<c>auto</c>, <c>bubblewrap</c> or <c>none</c>) by trying it:
    /// <c>auto</c> falls back to limits only when bubblewrap is missing or the kernel refuses its namespaces (containers
    /// with a default seccomp profile usually do); <c>bubblewrap</c> throws instead, so a machine that was meant to
    /// isolate does not quietly run without.
    /// </summary>
    public static async Task<ToolSandbox> DetectAsync(string mode, ToolLimits limits, string ffmpeg, CancellationToken cancellationToken)
    {
        if (mode == "none")
        {
            return LimitsOnly(limits, "Vexaa:Sandbox:Mode is none");
        }

        var failure = await TryBubblewrapAsync(limits, ffmpeg, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            return new ToolSandbox(Isolation.Bubblewrap, limits, "user namespaces available");
        }

        return mode == "bubblewrap"
            ? throw new InvalidOperationException($"Vexaa:Sandbox:Mode is bubblewrap, but bubblewrap does not work here: {failure}")
            : LimitsOnly(limits, "bubblewrap unavailable: " + failure);
    }

    private static async Task<string?> TryBubblewrapAsync(ToolLimits limits, string ffmpeg, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (!File.Exists(Bwrap))
        {
            return $"{Bwrap} is not installed (apt-get install bubblewrap)";
        }

        // Not `true` alone: the tool itself must load inside, with the libraries the view offers it.
        var probe = new ToolSandbox(Isolation.Bubblewrap, limits, "probe");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var result = await ToolRunner.RunAsync(ffmpeg, ["-hide_banner", "-version"], new SandboxView([], []), probe, null, null, timeout.Token)
                .ConfigureAwait(false);
            return result.ExitCode == 0 ? null : $"a trial run exited with {result.ExitCode}: {result.StderrTail.Split('\n')[^1]}";
        }
        catch (Exception e) when (e is MediaException or OperationCanceledException)
        {
            return "a trial run failed: " + e.Message;
        }
    }

    /// <summary>The program and arguments that run <paramref name="fileName"/> inside this sandbox.</summary>
    internal (string FileName, IReadOnlyList<string> Arguments) Wrap(string fileName, IReadOnlyList<string> arguments, SandboxView view)
    {
        var command = new List<string>();
        if (Limits.Any && File.Exists(Prlimit))
        {
            command.Add(Prlimit);
            command.AddRange(Limits.PrlimitArguments());
            command.Add("--");
        }

        if (Isolation == Isolation.Bubblewrap)
        {
            command.AddRange(BubblewrapArguments(view));
        }

        if (command.Count == 0)
        {
            return (fileName, arguments);
        }

        command.Add(fileName);
        command.AddRange(arguments);
        return (command[0], command.Skip(1).ToList());
    }

    private static IEnumerable<string> BubblewrapArguments(SandboxView view)
    {
        // A new namespace of every kind (network: only a loopback with nothing listening; pid: no other process to
        // see or signal), the tool killed if this process dies, and no controlling terminal to push input into.
        yield return Bwrap;
        foreach (var a in new[] { "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr" }) yield return a;
        foreach (var link in new[] { "lib", "lib64", "bin", "sbin" })
        {
            if (IsLinkToUsr("/" + link))
            {
                foreach (var a in new[] { "--symlink", "usr/" + link, "/" + link }) yield return a;
            }
            else if (Directory.Exists("/" + link))
            {
                foreach (var a in new[] { "--ro-bind", "/" + link, "/" + link }) yield return a;
            }
        }

        foreach (var path in SystemFiles.Where(Path.Exists))
        {
            foreach (var a in new[] { "--ro-bind", path, path }) yield return a;
        }

        foreach (var a in new[] { "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp" }) yield return a;
        foreach (var path in view.ReadOnly)
        {
            foreach (var a in new[] { "--ro-bind", path, path }) yield return a;
        }

        foreach (var path in view.Writable)
        {
            foreach (var a in new[] { "--bind", path, path }) yield return a;
        }

        foreach (var a in new[] { "--chdir", view.Writable.Count > 0 ? view.Writable[0] : "/tmp", "--" }) yield return a;
    }

    private static bool IsLinkToUsr(string path) =>
        new FileInfo(path).LinkTarget is { } target && target.TrimStart('/').StartsWith("usr/", StringComparison.Ordinal);
}
