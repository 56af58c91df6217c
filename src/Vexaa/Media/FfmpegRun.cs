using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// One ffmpeg run with its bookkeeping: progress turned into <see cref="ExtractionProgress"/>, errors and loudnorm
/// reports picked out of stderr, and the outputs' size on disk (with what earlier runs of the job wrote) watched so a
/// runaway job is stopped at its limit. ffmpeg's own total_size counts only its first output, so the files are looked at.
/// </summary>
internal sealed class FfmpegRun(
    MediaTools tools,
    SandboxView view,
    ExtractionPlan plan,
    ExtractionPhase phase,
    (double Offset, double Weight) share,
    IProgress<ExtractionProgress>? progress,
    long maxOutputBytes,
    long alreadyWritten,
    IReadOnlyList<string> outputs,
    ILogger? logger = null)
{
    private readonly FfmpegProgressParser _parser = new();
    private readonly List<string> _errors = [];

    public LoudnormOutputParser Loudness { get; } = new();
    public SilenceDetectParser Silences { get; } = new();
    public TimeSpan Processed { get; private set; }
    public string StderrTail { get; private set; } = "";
    public bool SawErrors { get { lock (_errors) { return _errors.Count > 0; } } }
    public string FirstError { get { lock (_errors) { return _errors.FirstOrDefault() ?? "no details"; } } }

    public async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var tooLarge = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tooLarge.Token);
        // The whole command line, copy-pasteable: the arguments hold paths and options, never credentials.
        logger?.LogDebug("Running {CommandLine}", ToolRunner.CommandLine(tools.Ffmpeg, arguments));
        ToolResult result;
        try
        {
            result = await ToolRunner.RunAsync(tools.Ffmpeg, arguments, view, tools.Sandbox, line => OnProgressLine(line, tooLarge), OnStderrLine, linked.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tooLarge.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.OutputSizeLimitExceeded,
                $"The outputs grew past the {maxOutputBytes:N0}-byte limit and was stopped; choose a lower bitrate, a shorter range or a compressed format.");
        }

        StderrTail = result.StderrTail;
        if (result.ExitCode != 0 && OutOfDisk(StderrTail))
        {
            // Nobody's fault and gone once there is room: the job is retried, the CLI says to free space.
            throw new MediaException(MediaError.InsufficientStorage, "The disk the audio is written to is full; free some space and try again.", StderrTail)
            {
                Transient = true,
            };
        }

        if (result.ExitCode != 0)
        {
            throw LimitFailure.Classify(result.ExitCode, StderrTail, tools.Sandbox.Limits) ?? (SawErrors && DecodeProblem()
                ? new MediaException(MediaError.CorruptMedia, $"The input could not be decoded ({FirstError}).", StderrTail)
                : new MediaException(MediaError.EncodingFailed, $"ffmpeg failed (exit code {result.ExitCode}): {FirstError.TrimEnd('.')}.", StderrTail)
                {
                    Transient = result.ExitCode > 128 || Transient(StderrTail),
                });
        }
    }

    // Failures of this machine rather than of the input or the options: killed by a signal (exit 128 + n, e.g. the OOM
    // killer), out of disk, memory or file handles, or an I/O error reading the scratch copy.
    private static readonly string[] TransientMarkers =
        ["No space left on device", "Cannot allocate memory", "Too many open files", "Resource temporarily unavailable", "Input/output error"];

    private static bool OutOfDisk(string stderr) =>
        stderr.Contains("No space left on device", StringComparison.OrdinalIgnoreCase) || stderr.Contains("Disk quota exceeded", StringComparison.OrdinalIgnoreCase);

    private static bool Transient(string stderr) => TransientMarkers.Any(m => stderr.Contains(m, StringComparison.OrdinalIgnoreCase));

    private bool DecodeProblem()
    {
        lock (_errors)
        {
            return _errors.Any(e => e.Contains("Invalid data", StringComparison.OrdinalIgnoreCase)
                || e.Contains("partial file", StringComparison.OrdinalIgnoreCase)
                || e.Contains("Error while decoding", StringComparison.OrdinalIgnoreCase)
                || e.Contains("corrupt", StringComparison.OrdinalIgnoreCase));
        }
    }

    private void OnProgressLine(string line, CancellationTokenSource tooLarge)
    {
        if (_parser.Feed(line) is not { } report)
        {
            return;
        }

        Processed = report.Processed;
        var size = outputs.Count > 0 ? alreadyWritten + outputs.Sum(SizeOf) : report.TotalSize ?? 0;
        if (size > maxOutputBytes)
        {
            tooLarge.Cancel();
        }

        if (progress is null)
        {
            return;
        }

        var total = plan.ExpectedDuration;
        var fraction = report.Finished ? 1 : total is { TotalSeconds: > 0 } t ? Math.Clamp(report.Processed / t, 0, 1) : 0;
        TimeSpan? remaining = total is { } all && report.Speed is > 0 and var speed
            ? TimeSpan.FromSeconds(Math.Max(0, (all - report.Processed).TotalSeconds / speed))
            : null;
        progress.Report(new ExtractionProgress(phase, share.Offset + share.Weight * fraction, report.Processed, report.Speed, remaining));
    }

    private static long SizeOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? file.Length : 0;
    }

    private void OnStderrLine(string line)
    {
        Loudness.Feed(line);
        Silences.Feed(line);
        var marker = line.IndexOf("[error] ", StringComparison.Ordinal);
        if (marker < 0)
        {
            marker = line.IndexOf("[fatal] ", StringComparison.Ordinal);
        }

        if (marker >= 0)
        {
            lock (_errors)
            {
                if (_errors.Count < 20)
                {
                    _errors.Add(line[(marker + 8)..].Trim());
                }
            }
        }
    }
}
