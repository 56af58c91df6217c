using System.Collections.Concurrent;
using System.Diagnostics;

namespace Vexaa.Media;

/// <summary>
/// Starts child processes so that they die with this process, even when it is killed with SIGKILL (a crash, an OOM kill):
/// each child is launched through util-linux's <c>setpriv --pdeathsig KILL</c>, which asks the kernel to kill it when its
/// parent goes. The kernel ties that signal to the forking <em>thread</em>, so every child is forked from one dedicated
/// thread that lives as long as the process; a thread-pool thread could retire and take a healthy ffmpeg with it.
/// </summary>
internal static class ProcessSpawner
{
    private const string Setpriv = "/usr/bin/setpriv";
    private static readonly bool HasSetpriv = OperatingSystem.IsLinux() && File.Exists(Setpriv);
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Requests = new();

    static ProcessSpawner()
    {
        if (HasSetpriv)
        {
            new Thread(Run) { IsBackground = true, Name = "vexaa-process-spawner" }.Start();
        }
    }

    /// <summary>A start description for <paramref name="fileName"/> with <paramref name="arguments"/>, wrapped when possible.</summary>
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(HasSetpriv ? Setpriv : fileName);
        if (HasSetpriv)
        {
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", fileName })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    public static Task StartAsync(Process process)
    {
        if (!HasSetpriv)
        {
            process.Start();
            return Task.CompletedTask;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((process, started));
        return started.Task;
    }

    private static void Run()
    {
        foreach (var (process, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
