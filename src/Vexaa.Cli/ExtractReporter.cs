using Spectre.Console;
using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary>
/// Tells the person (or script) how extraction goes: progress bars on a terminal, plain lines when stderr is not one,
/// JSON lines with --json. Results go to stdout, progress and errors to stderr.
/// </summary>
internal abstract class ExtractReporter
{
    public static ExtractReporter Create(bool json, IReadOnlyList<ExtractTarget> targets) =>
        json ? new JsonReporter()
        : Console.IsErrorRedirected ? new PlainReporter()
        : new TerminalReporter(targets);

    public virtual Task RunAsync(Func<Task> work) => work();

    public abstract IProgress<ExtractionProgress> ProgressFor(ExtractTarget target);

    public virtual void Succeeded(ExtractTarget target, ExtractionResult result)
    {
        lock (this)
        {
            foreach (var file in result.Files)
            {
                Console.Out.WriteLine(SummaryLine(target, file));
            }
        }
    }

    public virtual void Failed(ExtractTarget target, MediaException error)
    {
        lock (this)
        {
            CliOutput.Fail(error, target.Input);
        }
    }

    protected static string SummaryLine(ExtractTarget target, ExtractedFile file)
    {
        var how = file.Copied
            ? $"{file.Codec}, copied without re-encoding"
            : $"{file.Format}{(file.BitrateKbps is { } kbps ? $" {kbps}k" : "")}, {file.SampleRate} Hz, {CliOutput.Channels(file.Channels ?? 0, null)}";
        var loudness = file.Loudness is { } l ? ", " + LoudnessText(l) : "";
        var chapters = file.Chapters.Count switch { 0 => "", 1 => ", 1 chapter", var n => $", {n} chapters" };
        return $"{target.Input} → {file.Path} ({how}, {CliOutput.Duration(file.Duration)}, {CliOutput.Size(file.SizeBytes)}{chapters}{loudness})";
    }

    /// <summary>"loudness −27.3 → −16.1 LUFS (+11.2 dB), range 4.1 LU, true peak −1.2 dBTP: podcast target met".</summary>
    private static string LoudnessText(LoudnessReport l)
    {
        if (l.Output is not { } o || !double.IsFinite(o.IntegratedLufs))
        {
            return $"loudness {CliOutput.Lufs(l.Input.IntegratedLufs)}, unchanged (silent)";
        }

        var gain = l.GainDb is { } g ? FormattableString.Invariant($" ({g:+0.0;-0.0} dB)") : "";
        var verdict = l.TargetMet == true ? "target met" : FormattableString.Invariant($"target missed ({l.TargetLufs:0} LUFS, {l.TargetTruePeakDbtp:0} dBTP)");
        return FormattableString.Invariant(
            $"loudness {CliOutput.Lufs(l.Input.IntegratedLufs)} → {CliOutput.Lufs(o.IntegratedLufs)}{gain}, range {l.Input.LoudnessRange:0.0} → {o.LoudnessRange:0.0} LU, true peak {l.Input.TruePeakDbtp:0.0} → {o.TruePeakDbtp:0.0} dBTP: {l.Target} {verdict}");
    }

    protected sealed class Sink(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }

    private static string PhaseName(ExtractionPhase phase) =>
        phase switch { ExtractionPhase.MeasuringLoudness => "measuring loudness", ExtractionPhase.FindingSilence => "finding pauses", _ => "extracting" };

    private sealed class TerminalReporter(IReadOnlyList<ExtractTarget> targets) : ExtractReporter
    {
        private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        private readonly Dictionary<ExtractTarget, ProgressTask> _tasks = [];

        public override Task RunAsync(Func<Task> work) =>
            _console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    foreach (var target in targets)
                    {
                        _tasks[target] = context.AddTask(Markup.Escape(Path.GetFileName(target.Input)), autoStart: true, maxValue: 1);
                    }

                    await work();
                });

        public override IProgress<ExtractionProgress> ProgressFor(ExtractTarget target) => new Sink(p =>
        {
            var task = _tasks[target];
            task.Value = p.Fraction;
            task.Description = Markup.Escape($"{Path.GetFileName(target.Input)} ({PhaseName(p.Phase)})");
        });

        public override void Succeeded(ExtractTarget target, ExtractionResult result)
        {
            var task = _tasks[target];
            task.Description = Markup.Escape(Path.GetFileName(target.Input)) + " [green]done[/]";
            task.Value = task.MaxValue;
            task.StopTask();
            base.Succeeded(target, result);
        }

        public override void Failed(ExtractTarget target, MediaException error)
        {
            var task = _tasks[target];
            task.Description = Markup.Escape(Path.GetFileName(target.Input)) + " [red]failed[/]";
            task.StopTask();
            base.Failed(target, error);
        }
    }

    /// <summary>For logs and pipes: a line per 10 % step, no control characters.</summary>
    private sealed class PlainReporter : ExtractReporter
    {
        private readonly Dictionary<ExtractTarget, int> _lastStep = [];

        public override IProgress<ExtractionProgress> ProgressFor(ExtractTarget target) => new Sink(p =>
        {
            var step = (int)(p.Fraction * 10);
            lock (this)
            {
                if (_lastStep.GetValueOrDefault(target, -1) >= step || step == 10)
                {
                    return;
                }

                _lastStep[target] = step;
                var eta = p.Remaining is { } r ? $", {CliOutput.Duration(r)} left" : "";
                Console.Error.WriteLine($"{target.Input}: {PhaseName(p.Phase)} {step * 10}%{eta}");
            }
        });
    }

    /// <summary>JSON lines on stdout: progress (at most a few per second), then a result or an error per input.</summary>
    private sealed class JsonReporter : ExtractReporter
    {
        private readonly Dictionary<ExtractTarget, DateTime> _last = [];

        public override IProgress<ExtractionProgress> ProgressFor(ExtractTarget target) => new Sink(p =>
        {
            lock (this)
            {
                var now = DateTime.UtcNow;
                if (now - _last.GetValueOrDefault(target) < TimeSpan.FromMilliseconds(250))
                {
                    return;
                }

                _last[target] = now;
                Write(new
                {
                    @event = "progress", input = target.Input, phase = PhaseName(p.Phase), fraction = Math.Round(p.Fraction, 4),
                    processed = p.Processed, speed = p.Speed, remaining = p.Remaining,
                });
            }
        });

        public override void Succeeded(ExtractTarget target, ExtractionResult result)
        {
            lock (this)
            {
                Write(new { @event = "result", input = target.Input, files = result.Files, elapsed = result.Elapsed, silences = result.Silences });
            }
        }

        public override void Failed(ExtractTarget target, MediaException error)
        {
            lock (this)
            {
                Write(new { @event = "error", input = target.Input, code = error.Error.Code(), message = error.Message, exitCode = error.Error.ExitCode() });
                CliOutput.Fail(error, target.Input);
            }
        }

        private static void Write<T>(T value) => Console.Out.WriteLine(CliOutput.ToJson(value));
    }
}
