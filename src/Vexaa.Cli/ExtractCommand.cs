using System.CommandLine;
using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary><c>vexaa extract INPUT... [-o OUT] [options]</c>: the local front end of the extraction engine.</summary>
internal static partial class ExtractCommand
{
    private static readonly Argument<string[]> Inputs = new("inputs") { Arity = ArgumentArity.OneOrMore, Description = "Video (or audio) files to extract from." };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Output file (one input, one track) or folder (several inputs, or a name ending in /). Default: beside each input." };
    private static readonly Option<string?> Format = new("--format", "-f") { Description = $"{string.Join("|", AudioFormats.Names)}, or several separated by commas (flac,mp3: one decode, one file each). Default: from the output name, else mp3." };
    private static readonly Option<string[]> Bitrate = new("--bitrate", "-b") { Description = "Constant bitrate, e.g. 192k, or for one format, mp3=128k (repeatable; checked against what the format allows).", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Quality = new("--quality", "-q") { Description = "Variable-bitrate quality: mp3 0 (best) to 9, ogg -1 to 10 (best)." };
    private static readonly Option<string[]> SampleRate = new("--sample-rate", "-r") { Description = "Output sample rate, e.g. 44100 or 48k, or for one format, mp3=44100 (repeatable).", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Channels = new("--channels", "-c") { Description = "1 (mono) or 2 (stereo)." };
    private static readonly Option<string?> Track = new("--track", "-t") { Description = "Audio track number as 'vexaa probe' lists it (0 = first)." };
    private static readonly Option<string?> Language = new("--language", "-l") { Description = "Pick the audio track in this language (ISO 639, e.g. eng)." };
    private static readonly Option<bool> AllTracks = new("--all-tracks") { Description = "Write one file per audio track." };
    private static readonly Option<string?> Start = new("--start", "-s") { Description = "Start at this time (seconds, MM:SS or HH:MM:SS.fff)." };
    private static readonly Option<string?> End = new("--end", "-e") { Description = "Stop at this time." };
    private static readonly Option<string?> Normalize = new("--normalize", "-n") { Description = "Two-pass EBU R128 loudness: podcast (-16 LUFS), streaming (-14), broadcast (-23); true peak -1 dBTP." };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Set a tag, key=value (repeatable). Input tags are kept unless --strip-tags.", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<bool> StripTags = new("--strip-tags") { Description = "Do not copy the input's tags and chapters." };
    private static readonly Option<string?> Jobs = new("--jobs", "-j") { Description = "How many inputs to process at once (default 1)." };
    private static readonly Option<string?> Parallel = new("--parallel") { Description = "Encoders one long MP3 or FLAC may use at once, joined without a seam (default: the cores, up to 4, shared by --jobs; 1 = one pass)." };
    private static readonly Option<bool> Overwrite = new("--overwrite", "-y") { Description = "Replace output files that already exist." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print progress and results as JSON lines on stdout." };
    private static readonly Option<string?> MaxDuration = new("--max-duration") { Description = "Refuse inputs longer than this (default 24:00:00)." };
    private static readonly Option<string?> MaxOutputSize = new("--max-output-size") { Description = "Stop outputs larger than this, e.g. 2G or 500M (default 16G)." };
    private static readonly Option<string?> MaxOutputs = new("--max-outputs") { Description = "Refuse to write more files than this per input (default: no limit)." };
    private static readonly Option<string?> ChaptersJson = new("--chapters-json") { Description = "Also write the output's chapters (start, end, title; seconds) to this JSON file. One input only." };
    private static readonly Option<string?> Split = new("--split") { Description = "chapters: one file per chapter (01 - Intro.mp3, ...); silence[:SECONDS]: one file per stretch between pauses of at least that long (2 s); in the -o folder, or a folder named after the input." };
    private static readonly Option<string?> Cover = new("--cover") { Description = "Embed cover art (mp3, m4a, alac, flac, opus, ogg): auto (a representative, non-black frame), a time of the video (0:12), or a .jpg/.png image; a square JPEG of at most 600×600." };
    private static readonly Option<string?> Timeout = new("--timeout") { Description = "Stop an extraction running longer than this (default 6:00:00)." };

    public static Command Create()
    {
        var command = new Command("extract", "Extract audio from one or more files.")
        {
            Inputs, Output, Format, Bitrate, Quality, SampleRate, Channels, Track, Language, AllTracks, Start, End,
            Normalize, Tags, StripTags, Jobs, Overwrite, Json, MaxDuration, MaxOutputSize, MaxOutputs, Timeout, ChaptersJson, Split,
            Package, SourceOrganization, Cover, Parallel,
        };
        foreach (var option in SilenceOptions())
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        ExtractionOptions options;
        ExtractionLimits limits;
        List<ExtractTarget> targets;
        int jobs;
        int parallel;
        PackageRequest? package;
        try
        {
            options = ReadOptions(parse);
            limits = ReadLimits(parse);
            jobs = ReadInt(parse.GetValue(Jobs), "--jobs", 1, 64) ?? 1;
            parallel = ReadInt(parse.GetValue(Parallel), "--parallel", 1, 16) ?? Math.Clamp(Environment.ProcessorCount / jobs, 1, 4);
            var output = parse.GetValue(Output);
            package = ReadPackage(parse, ref output);
            if (options.Split is not null && output is not null && !output.EndsWith('/'))
            {
                // Split parts are named after their chapters, so -o can only be the folder they go in.
                output += "/";
            }

            targets = ExtractTarget.Resolve(parse.GetValue(Inputs)!, output, options.Format);
            if (options.Split is not null)
            {
                var single = targets.Count == 1 && output is not null;
                targets = [.. targets.Select(t => t with { PartsFolder = single ? Path.GetFullPath(output!) : t.BasePath })];
            }

            if (parse.GetValue(ChaptersJson) is { } chaptersJson)
            {
                targets = targets.Count == 1
                    ? [targets[0] with { ChaptersJson = Path.GetFullPath(chaptersJson) }]
                    : throw MediaException.Invalid("--chapters-json takes one input; give the inputs one at a time.");
            }
            foreach (var format in targets.Select(t => t.Format).Distinct())
            {
                ExtractionPlanner.Validate(options with { Format = format });
            }
        }
        catch (MediaException e)
        {
            return CliOutput.Fail(e);
        }

        MediaTools tools;
        try
        {
            tools = MediaTools.Locate();
        }
        catch (MediaException e)
        {
            return CliOutput.Fail(e);
        }

        var recorder = package is null ? null : new Vexaa.Packaging.CommandLineRecorder();
        var extractor = new AudioExtractor(tools, limits, recorder) { Parallelism = parallel };
        var reporter = ExtractReporter.Create(parse.GetValue(Json), targets);
        var overwrite = parse.GetValue(Overwrite);
        var failures = new MediaError?[targets.Count];
        // With --package (one input): what the bag's metadata.json records about the run.
        (MediaInfo Media, ExtractionResult Result)? made = null;
        await reporter.RunAsync(() => System.Threading.Tasks.Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = CancellationToken.None },
            async (i, _) => failures[i] = await ExtractOneAsync(extractor, targets[i], options, overwrite, reporter, (m, r) => made = (m, r), cancellationToken)));

        // Several inputs: the exit code is that of the first input that failed, so scripts can still tell why.
        if (failures.FirstOrDefault(f => f is not null) is { } first)
        {
            return first.ExitCode();
        }

        return package is null ? 0 : await FinishPackageAsync(package, targets[0], recorder!, tools, options, made!.Value, parse, cancellationToken);
    }

    private static async Task<MediaError?> ExtractOneAsync(
        AudioExtractor extractor, ExtractTarget target, ExtractionOptions options, bool overwrite, ExtractReporter reporter,
        Action<MediaInfo, ExtractionResult> succeeded, CancellationToken cancellationToken)
    {
        try
        {
            var media = await extractor.ProbeAsync(target.Input, cancellationToken);
            var plan = await extractor.PlanAsync(target.Input, media, options with { Format = target.Format }, target.Extension, reporter.ProgressFor(target), cancellationToken);
            var outputs = OutputNaming.ForPlan(plan, target.BasePath, target.PartsFolder);
            if (target.PartsFolder is not null)
            {
                Directory.CreateDirectory(target.PartsFolder);
            }

            var result = await extractor.RunAsync(target.Input, media, plan, outputs, overwrite, reporter.ProgressFor(target), cancellationToken);
            if (target.ChaptersJson is { } chaptersJson)
            {
                await File.WriteAllTextAsync(chaptersJson, CliOutput.ToJson(plan.Chapters) + "\n", cancellationToken);
            }

            reporter.Succeeded(target, result);
            succeeded(media, result);
            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reporter.Failed(target, new MediaException(MediaError.Canceled, "canceled; no output was written."));
            return MediaError.Canceled;
        }
        catch (MediaException e)
        {
            reporter.Failed(target, e);
            return e.Error;
        }
    }

    internal static ExtractionOptions ReadOptions(ParseResult parse) => WithFormats(parse, new()
    {
        Quality = parse.GetValue(Quality) is { } q ? ReadDouble(q, "--quality") : null,
        Channels = ReadInt(parse.GetValue(Channels), "--channels", int.MinValue, int.MaxValue),
        Track = ReadInt(parse.GetValue(Track), "--track", int.MinValue, int.MaxValue),
        Language = parse.GetValue(Language) is { } l ? OptionParser.ParseLanguage(l) : null,
        AllTracks = parse.GetValue(AllTracks),
        Start = parse.GetValue(Start) is { } s ? OptionParser.ParseTime(s, "--start") : null,
        End = parse.GetValue(End) is { } e ? OptionParser.ParseTime(e, "--end") : null,
        Normalize = parse.GetValue(Normalize) is { } n
            ? LoudnessTarget.Find(n) ?? throw MediaException.Invalid($"--normalize '{n}' is not a target; use podcast, streaming or broadcast.")
            : null,
        Tags = ReadTags(parse.GetValue(Tags) ?? []),
        KeepTags = !parse.GetValue(StripTags),
        Split = parse.GetValue(Split) is { } split ? OptionParser.ParseSplit(split) : null,
        Cover = parse.GetValue(Cover) is { } cover ? OptionParser.ParseCover(cover, "--cover", allowImage: true) : null,
        Silence = ReadSilence(parse),
    });

    private static Dictionary<string, string> ReadTags(string[] values)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in values.Select(OptionParser.ParseTag))
        {
            tags[key] = value;
        }

        return tags;
    }

    internal static ExtractionLimits ReadLimits(ParseResult parse)
    {
        var limits = new ExtractionLimits();
        if (parse.GetValue(MaxDuration) is { } d)
        {
            limits = limits with { MaxInputDuration = Positive(OptionParser.ParseTime(d, "--max-duration"), "--max-duration") };
        }

        if (parse.GetValue(MaxOutputSize) is { } size)
        {
            limits = limits with { MaxOutputBytes = OptionParser.ParseSize(size, "--max-output-size") };
        }

        if (ReadInt(parse.GetValue(MaxOutputs), "--max-outputs", 1, 100_000) is { } outputs)
        {
            limits = limits with { MaxOutputs = outputs };
        }

        if (parse.GetValue(Timeout) is { } t)
        {
            limits = limits with { Timeout = Positive(OptionParser.ParseTime(t, "--timeout"), "--timeout") };
        }

        return limits;
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw MediaException.Invalid($"{name} must be more than zero.");

    internal static int? ReadInt(string? value, string name, int min, int max)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw MediaException.Invalid(min == int.MinValue ? $"{name} '{value}' is not a whole number." : $"{name} '{value}' must be a whole number from {min} to {max}.");
    }

    private static double ReadDouble(string value, string name) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw MediaException.Invalid($"{name} '{value}' is not a number.");
}
