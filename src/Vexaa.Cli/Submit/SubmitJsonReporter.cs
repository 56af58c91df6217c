namespace Vexaa.Cli.Submit;

/// <summary>
/// JSON lines on stdout for scripts: <c>upload</c> (what is sent and why), <c>progress</c> (a few per second per input),
/// <c>notice</c>, then a <c>result</c> or an <c>error</c> (with its code and exit code) per input.
/// </summary>
internal sealed class SubmitJsonReporter : SubmitReporter
{
    private readonly Dictionary<ExtractTarget, (string Phase, DateTime At)> _last = [];

    public override void Sending(ExtractTarget target, UploadChoice choice, long inputBytes) => Write(new
    {
        @event = "upload", input = target.Input, audioOnly = choice.AudioOnly, bytes = choice.Source.Length, inputBytes, reason = choice.WholeReason,
    });

    public override void Progress(ExtractTarget target, string phase, double fraction, long? bytes = null, long? totalBytes = null)
    {
        lock (this)
        {
            var now = DateTime.UtcNow;
            if (_last.TryGetValue(target, out var last) && last.Phase == phase && now - last.At < TimeSpan.FromMilliseconds(250) && fraction < 1)
            {
                return;
            }

            _last[target] = (phase, now);
        }

        Write(new { @event = "progress", input = target.Input, phase, fraction = Math.Round(Math.Clamp(fraction, 0, 1), 4), bytes, totalBytes });
    }

    public override void Notice(ExtractTarget target, string text) => Write(new { @event = "notice", input = target.Input, message = text });

    /// <summary>Said once per upload: how many bytes the server already had from an earlier run.</summary>
    public override void Resumed(ExtractTarget target, long offset, long length) =>
        Write(new { @event = "resumed", input = target.Input, offset, length });

    public override void Succeeded(ExtractTarget target, string jobId, IReadOnlyList<SubmittedFile> files) =>
        Write(new { @event = "result", input = target.Input, jobId, files });

    public override void Failed(ExtractTarget target, SubmitFailure failure)
    {
        Write(new { @event = "error", input = target.Input, code = failure.Code, message = failure.Message, exitCode = failure.ExitCode });
        base.Failed(target, failure);
    }

    private void Write<T>(T value)
    {
        lock (this)
        {
            Console.Out.WriteLine(CliOutput.ToJson(value));
        }
    }
}
