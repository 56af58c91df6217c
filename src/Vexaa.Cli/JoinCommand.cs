using System.CommandLine;
using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary>
/// <c>vexaa join INPUT... -o OUTPUT [--gap S | --crossfade S] [options of extract]</c>: the audio of several files, in
/// order, in one output with a chapter at each join. It takes extract's own options (the same instances, so the same
/// parsing, messages and exit codes), except those that make several files or cut one input.
/// </summary>
internal static class JoinCommand
{
    private static readonly Argument<string[]> Inputs = new("inputs") { Arity = ArgumentArity.OneOrMore, Description = "The files to join, in order (at least two)." };
    private static readonly Option<string?> Gap = new("--gap") { Description = "Seconds of silence between the parts (seconds, MM:SS or HH:MM:SS.fff)." };
    private static readonly Option<string?> Crossfade = new("--crossfade") { Description = "Overlap adjacent parts by this long, fading one into the next." };
    private static readonly Option<string?> MaxInputs = new("--max-inputs") { Description = "Refuse to join more inputs than this (default 100)." };

    private static readonly Option<string?> Output = new("--output", "-o") { Description = "The joined file (its extension gives the format), or a folder to write it in, named after the first input." };

    // Options of extract a join has no use for: it writes one output (no split, bag or chapters file), from one track of
    // each input, taken whole (--start/--end cut one input). -o is its own, to say what it means here.
    private static readonly HashSet<string> NotForJoin =
        ["--jobs", "--split", "--package", "--source-organization", "--chapters-json", "--all-tracks", "--max-outputs", "--start", "--end", "--output", "--cover",
         "--trim-silence", "--max-pause", "--silence-threshold", "--silence-min"];

    public static Command Create()
    {
        var command = new Command("join", "Join the audio of several files, in order, into one output with a chapter at each join.")
        {
            Inputs, Output, Gap, Crossfade, MaxInputs,
        };
        foreach (var option in ExtractCommand.Create().Options.Where(o => !NotForJoin.Contains(o.Name)))
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var inputs = parse.GetValue(Inputs)!;
        ExtractionOptions options;
        ExtractionLimits limits;
        JoinOptions join;
        ExtractTarget target;
        MediaTools tools;
        try
        {
            options = ExtractCommand.ReadOptions(parse);
            limits = ExtractCommand.ReadLimits(parse);
            if (ExtractCommand.ReadInt(parse.GetValue(MaxInputs), "--max-inputs", 2, 10_000) is { } max)
            {
                limits = limits with { MaxInputs = max };
            }

            join = new JoinOptions
            {
                Gap = parse.GetValue(Gap) is { } g ? OptionParser.ParseTime(g, "--gap") : null,
                Crossfade = parse.GetValue(Crossfade) is { } c ? OptionParser.ParseTime(c, "--crossfade") : null,
            };
            var output = parse.GetValue(Output);
            Refuse(inputs);

            ExtractTarget.RefuseOptionLike(inputs);
            JoinPlanner.Validate(inputs.Length, options with { Format = options.Format ?? "mp3" }, join, limits);
            // The output is named like extract's single output: a file, or a folder to put one named after the first input in.
            target = output is null
                ? throw MediaException.Invalid("A join writes one file; name it with -o (e.g. -o episode.mp3).")
                : ExtractTarget.Resolve([inputs[0]], output, options.Format)[0];
            options = options with { Format = target.Format, Formats = options.Formats };
            JoinPlanner.Validate(inputs.Length, options, join, limits);
            tools = MediaTools.Locate();
        }
        catch (MediaException e)
        {
            return CliOutput.Fail(e);
        }

        var label = inputs.Length <= 3 ? string.Join(" + ", inputs) : $"{inputs[0]} + {inputs.Length - 1} more";
        var shown = target with { Input = label };
        var reporter = ExtractReporter.Create(parse.GetValue<bool>("--json"), [shown]);
        MediaError? failure = null;
        await reporter.RunAsync(async () =>
        {
            try
            {
                var joiner = new AudioJoiner(tools, limits);
                var probed = new List<JoinInput>();
                foreach (var input in inputs)
                {
                    probed.Add(await joiner.ProbeAsync(input, cancellationToken));
                }

                var plan = JoinPlanner.Plan(probed, options, join, limits, target.Extension);
                var outputs = OutputNaming.ForPlan(plan.Output, target.BasePath, null);
                var result = await joiner.RunAsync(plan, outputs, parse.GetValue<bool>("--overwrite"), reporter.ProgressFor(shown), cancellationToken);
                reporter.Succeeded(shown, result.Result);
                JoinReport.Write(parse.GetValue<bool>("--json"), label, result);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                reporter.Failed(shown, new MediaException(MediaError.Canceled, "canceled; no output was written."));
                failure = MediaError.Canceled;
            }
            catch (MediaException e)
            {
                reporter.Failed(shown, e);
                failure = e.Error;
            }
        });
        return failure?.ExitCode() ?? 0;
    }

    /// <summary>An option of extract that join does not take reaches the parser as an input: say why it does not apply.</summary>
    private static void Refuse(string[] inputs)
    {
        var excluded = ExtractCommand.Create().Options.Where(o => NotForJoin.Contains(o.Name) && o.Name != "--output").ToList();
        foreach (var token in inputs.Select(i => i.Split('=')[0]))
        {
            if (excluded.FirstOrDefault(o => o.Name == token || o.Aliases.Contains(token)) is { } option)
            {
                throw MediaException.Invalid(option.Name is "--start" or "--end"
                    ? $"{option.Name} cuts one input, and a join takes every part whole; cut the parts first with extract, then join them."
                    : $"{option.Name} does not apply to join, which writes one output from one track of each input.");
            }
        }
    }
}
