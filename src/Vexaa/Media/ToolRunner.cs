using System.Diagnostics;
using System.Text;

namespace Vexaa.Media;

/// <summary>The outcome of one ffmpeg/ffprobe run.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string StderrTail);

/// <summary>
/// Runs ffmpeg or ffprobe as a child process: arguments as a list (never a shell or a quoted string), stdin closed,
/// stdout and stderr always drained, and cancellation that kills the whole process tree with a bounded wait.
/// </summary>
internal static class ToolRunner
{
    private const int StderrTailLines = 40;
    private const int MaxCapturedStdout = 16 * 1024 * 1024;
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    /// <param name="view">What the run may read and write when <paramref name="sandbox"/> isolates it.</param>
    /// <param name="onStdoutLine">Receives stdout line by line (ffmpeg's -progress); when null, stdout is captured instead.</param>
    /// <param name="onStderrLine">Sees every stderr line (the loudnorm measurements arrive there).</param>
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        SandboxView view,
        ToolSandbox sandbox,
        Action<string>? onStdoutLine,
        Action<string>? onStderrLine,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (program, programArguments) = sandbox.Wrap(fileName, arguments, view);
        var startInfo = ProcessSpawner.StartInfo(program, programArguments);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.CreateNoWindow = true;
        startInfo.StandardOutputEncoding = Encoding.UTF8;
        startInfo.StandardErrorEncoding = Encoding.UTF8;

        using var process = new Process { StartInfo = startInfo };
        try
        {
            await ProcessSpawner.StartAsync(process).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MediaException(MediaError.ToolNotFound, $"Could not start {fileName}: {e.Message}.");
        }

        // ffmpeg must never wait for a keypress or read a stranger's stdin.
        process.StandardInput.Close();

        var stdout = new StringBuilder();
        var tail = new Queue<string>(StderrTailLines);
        var stdoutTask = PumpAsync(process.StandardOutput, line =>
        {
            if (onStdoutLine is not null)
            {
                onStdoutLine(line);
            }
            else if (stdout.Length < MaxCapturedStdout)
            {
                stdout.Append(line).Append('\n');
            }
        });
        var stderrTask = PumpAsync(process.StandardError, line =>
        {
            onStderrLine?.Invoke(line);
            lock (tail)
            {
                if (tail.Count == StderrTailLines)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }
        });

        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process).ConfigureAwait(false);
            await DrainAfterKillAsync(stdoutTask, stderrTask).ConfigureAwait(false);
            throw;
        }

        await Task.WhenAll(stdoutTask, stderrTask).ConfigureAwait(false);
        string tailText;
        lock (tail)
        {
            tailText = string.Join('\n', tail);
        }

        return new ToolResult(process.ExitCode, stdout.ToString(), tailText);
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            return; // already gone
        }

        using var wait = new CancellationTokenSource(KillWait);
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The kernel did not reap it in time; nothing more can be done from here.
        }
    }

    private static async Task DrainAfterKillAsync(Task stdoutTask, Task stderrTask)
    {
        try
        {
            await Task.WhenAll(stdoutTask, stderrTask).WaitAsync(KillWait).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException)
        {
            // The pipes died with the process; their content no longer matters.
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            onLine(line);
        }
    }

    /// <summary>A copy-pasteable rendering of a command line, for logs only; it is never executed.</summary>
    public static string CommandLine(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote));

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
