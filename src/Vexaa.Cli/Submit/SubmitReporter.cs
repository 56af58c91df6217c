using Spectre.Console;

namespace Vexaa.Cli.Submit;

/// <summary>One downloaded result.</summary>
internal sealed record SubmittedFile(string Path, long Size, string Format, string Codec, double DurationSeconds);

/// <summary>
/// How submit tells its progress: bars for upload and conversion on a terminal, plain lines when stderr is not one,
/// JSON lines on stdout with --json. As with extract, results go to stdout, progress and errors to stderr.
/// </summary>
internal abstract class SubmitReporter
{
    public static SubmitReporter Create(bool json, IReadOnlyList<ExtractTarget> targets) =>
        json ? new SubmitJsonReporter()
        : Console.IsErrorRedirected ? new PlainReporter()
        : new TerminalReporter(targets);

    public virtual Task RunAsync(Func<Task> work) => work();

    /// <summary>What is being sent, and why the whole file when it is.</summary>
    public virtual void Sending(ExtractTarget target, UploadChoice choice, long inputBytes) =>
        Line(choice.AudioOnly
            ? $"{target.Input}: sending only the audio ({CliOutput.Size(choice.Source.Length)} of {CliOutput.Size(inputBytes)})"
            : $"{target.Input}: sending the whole file ({CliOutput.Size(inputBytes)}): {choice.WholeReason}");

    /// <param name="phase">uploading, queued, converting or downloading.</param>
    public abstract void Progress(ExtractTarget target, string phase, double fraction, long? bytes = null, long? totalBytes = null);

    /// <summary>Said once per upload that an earlier run started: how many bytes the server already had.</summary>
    public virtual void Resumed(ExtractTarget target, long offset, long length) =>
        Line($"{target.Input}: resuming the upload at {CliOutput.Size(offset)} of {CliOutput.Size(length)}, which the server already has");

    public virtual void Notice(ExtractTarget target, string text) => Line($"{target.Input}: {text}");

    public virtual void Succeeded(ExtractTarget target, string jobId, IReadOnlyList<SubmittedFile> files)
    {
        lock (this)
        {
            foreach (var file in files)
            {
                Console.Out.WriteLine($"{target.Input} → {file.Path} ({file.Format}, {file.Codec}, {CliOutput.Duration(TimeSpan.FromSeconds(file.DurationSeconds))}, {CliOutput.Size(file.Size)}; job {jobId})");
            }
        }
    }

    public virtual void Failed(ExtractTarget target, SubmitFailure failure)
    {
        lock (this)
        {
            Console.Error.WriteLine($"vexaa: {target.Input}: {failure.Message}");
        }
    }

    protected virtual void Line(string text)
    {
        lock (this)
        {
            Console.Error.WriteLine(text);
        }
    }

    /// <summary>For logs and pipes: a line per phase and per 10 % of the upload and of the conversion.</summary>
    private sealed class PlainReporter : SubmitReporter
    {
        private readonly Dictionary<ExtractTarget, (string Phase, int Step)> _last = [];

        public override void Progress(ExtractTarget target, string phase, double fraction, long? bytes = null, long? totalBytes = null)
        {
            var step = (int)(Math.Clamp(fraction, 0, 1) * 10);
            lock (this)
            {
                if (_last.TryGetValue(target, out var last) && last.Phase == phase && last.Step >= step)
                {
                    return;
                }

                _last[target] = (phase, step);
                var size = bytes is { } b && totalBytes is { } t ? $" ({CliOutput.Size(b)} of {CliOutput.Size(t)})" : "";
                Console.Error.WriteLine($"{target.Input}: {phase} {step * 10}%{size}");
            }
        }
    }

    private sealed class TerminalReporter(IReadOnlyList<ExtractTarget> targets) : SubmitReporter
    {
        private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        private readonly Dictionary<ExtractTarget, ProgressTask> _tasks = [];

        public override Task RunAsync(Func<Task> work) =>
            _console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    foreach (var target in targets)
                    {
                        _tasks[target] = context.AddTask(Name(target), autoStart: true, maxValue: 1);
                    }

                    await work();
                });

        public override void Progress(ExtractTarget target, string phase, double fraction, long? bytes = null, long? totalBytes = null)
        {
            var task = _tasks[target];
            lock (task)
            {
                // Bytes while uploading (so the speed column means something), a fraction while converting.
                task.MaxValue = totalBytes ?? 1;
                task.Value = bytes ?? fraction;
                task.Description = $"{Name(target)} ({phase})";
            }
        }

        public override void Succeeded(ExtractTarget target, string jobId, IReadOnlyList<SubmittedFile> files)
        {
            Finish(target, "[green]done[/]");
            base.Succeeded(target, jobId, files);
        }

        public override void Failed(ExtractTarget target, SubmitFailure failure)
        {
            Finish(target, "[red]failed[/]");
            base.Failed(target, failure);
        }

        protected override void Line(string text) => _console.MarkupLine(Markup.Escape(text));

        private void Finish(ExtractTarget target, string how)
        {
            var task = _tasks[target];
            task.Description = $"{Name(target)} {how}";
            task.Value = task.MaxValue;
            task.StopTask();
        }

        private static string Name(ExtractTarget target) => Markup.Escape(Path.GetFileName(target.Input));
    }
}
