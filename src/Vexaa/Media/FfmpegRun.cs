using Microsoft.Extensions.Logging;

namespace Vexaa.Media;

/// <summary>
/// One ffmpeg run with its bookkeeping: progress turned into <see cref="ExtractionProgress"/>, errors and loudnorm
/// reports picked out of stderr, and the output size watched so a runaway output is stopped at the limit.
/// </summary>
internal sealed class FfmpegRun(
    string ffmpeg,
    ExtractionPlan plan,
    ExtractionPhase phase,
    (double Offset, double Weight) share,
    IProgress<ExtractionProgress>? progress,
    long maxOutputBytes,
    ILogger? logger)
{
    private readonly FfmpegProgressParser _parser = new();
    private readonly List<string> _errors = [];

    public LoudnormOutputParser Loudness { get; } = new();
    public TimeSpan Processed { get; private set; }
    public string StderrTail { get; private set; } = "";
    public bool SawErrors { get { lock (_errors) { return _errors.Count > 0; } } }
    public string FirstError { get { lock (_errors) { return _errors.FirstOrDefault() ?? "no details"; } } }

    public async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var tooLarge = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tooLarge.Token);
        // The whole command line, copy-pasteable: the arguments hold paths and options, never credentials.
        logger?.LogDebug("Running {CommandLine}", ToolRunner.Describe(ffmpeg, arguments));
        ToolResult result;
        try
        {
            result = await ToolRunner.RunAsync(ffmpeg, arguments, line => OnProgressLine(line, tooLarge), OnStderrLine, linked.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tooLarge.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaError.OutputSizeLimitExceeded,
                $"The output grew past the {maxOutputBytes:N0}-byte limit and was stopped; choose a lower bitrate, a shorter range or a compressed format.");
        }

        StderrTail = result.StderrTail;
        if (result.ExitCode != 0)
        {
            throw SawErrors && DecodeProblem()
                ? new MediaException(MediaError.CorruptMedia, $"The input could not be decoded ({FirstError}).", StderrTail)
                : new MediaException(MediaError.EncodingFailed, $"ffmpeg failed (exit code {result.ExitCode}): {FirstError}.", StderrTail);
        }
    }

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
        if (report.TotalSize > maxOutputBytes)
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

    private void OnStderrLine(string line)
    {
        Loudness.Feed(line);
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
