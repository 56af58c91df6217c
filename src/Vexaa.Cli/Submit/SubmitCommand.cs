using System.CommandLine;
using Vexaa.Media;

namespace Vexaa.Cli.Submit;

/// <summary>
/// <c>vexaa submit INPUT... --server URL [options of extract]</c>: the same conversion as extract, done by a VExAA server.
/// It takes extract's own options (the same instances, so the same parsing, messages and exit codes) and adds the server's.
/// </summary>
internal static class SubmitCommand
{
    private static readonly Argument<string[]> Inputs = new("inputs") { Arity = ArgumentArity.OneOrMore, Description = "Video (or audio) files to convert on the server." };
    private static readonly Option<string?> Server = new("--server") { Description = "The VExAA server, e.g. https://vexaa.example.org (or VEXAA_SERVER)." };
    private static readonly Option<string?> ApiKey = new("--api-key") { Description = "An API key (better: VEXAA_API_KEY, which no process list shows)." };
    private static readonly Option<bool> UploadWhole = new("--upload-whole") { Description = "Send the whole file, not only the audio copied out of it." };

    public static Command Create()
    {
        var command = new Command("submit", "Convert files on a VExAA server: upload (only the audio when that is enough), convert, download.")
        {
            Inputs, Server, ApiKey, UploadWhole,
        };
        foreach (var option in ExtractCommand.Create().Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        List<ExtractTarget> targets;
        SubmitSettings settings;
        int jobs;
        Uri server;
        try
        {
            var options = ExtractCommand.ReadOptions(parse);
            _ = JobFields.ToJson(options, "", null); // refuses what the job's JSON cannot carry (a missing or too large cover picture) before anything is sent
            var limits = ExtractCommand.ReadLimits(parse);
            jobs = ExtractCommand.ReadInt(parse.GetValue<string?>("--jobs"), "--jobs", 1, 64) ?? 1;
            server = ReadServer(parse.GetValue(Server) ?? Environment.GetEnvironmentVariable("VEXAA_SERVER"));
            targets = Targets(parse, options);
            foreach (var format in targets.Select(t => t.Format).Distinct())
            {
                ExtractionPlanner.Validate(options with { Format = format });
            }

            foreach (var missing in targets.Where(t => !File.Exists(t.Input)))
            {
                throw new MediaException(MediaError.InputNotFound, $"{missing.Input} does not exist.");
            }

            settings = new SubmitSettings(options, limits, parse.GetValue<bool>("--overwrite"), parse.GetValue(UploadWhole), LocateTools());
        }
        catch (MediaException e)
        {
            return CliOutput.Fail(e);
        }

        var json = parse.GetValue<bool>("--json");
        var reporter = SubmitReporter.Create(json, targets);
        var apiKey = parse.GetValue(ApiKey) ?? Environment.GetEnvironmentVariable("VEXAA_API_KEY");
        var notices = new AsyncLocal<ExtractTarget?>();
        using var api = new ServerApi(server, apiKey, text =>
        {
            if (notices.Value is { } target)
            {
                reporter.Notice(target, text);
            }
        });
        var run = new SubmitRun(api, new TusUpload(api, UploadStateFile.Default()), reporter, settings);
        var exits = new int[targets.Count];
        await reporter.RunAsync(() => Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = CancellationToken.None },
            async (i, _) =>
            {
                notices.Value = targets[i];
                exits[i] = await SubmitOneAsync(run, targets[i], reporter, cancellationToken);
            }));

        // As with extract: the first failing input's exit code.
        return exits.FirstOrDefault(e => e != 0);
    }

    private static async Task<int> SubmitOneAsync(SubmitRun run, ExtractTarget target, SubmitReporter reporter, CancellationToken cancellationToken)
    {
        SubmitFailure failure;
        try
        {
            await run.RunAsync(target, cancellationToken);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failure = SubmitFailure.From(new MediaException(MediaError.Canceled, "canceled; an unfinished upload resumes when you run the same command again."));
        }
        catch (MediaException e)
        {
            failure = SubmitFailure.From(e);
        }
        catch (SubmitFailure e)
        {
            failure = e;
        }

        reporter.Failed(target, failure);
        return failure.ExitCode;
    }

    /// <summary>The inputs and their outputs, worked out exactly as extract does (-o file or folder, --split, --chapters-json).</summary>
    private static List<ExtractTarget> Targets(ParseResult parse, ExtractionOptions options)
    {
        var output = parse.GetValue<string?>("--output");
        if (options.Split is not null && output is not null && !output.EndsWith('/'))
        {
            output += "/";
        }

        var targets = ExtractTarget.Resolve(parse.GetValue(Inputs)!, output, options.Format);
        if (options.Split is not null)
        {
            var single = targets.Count == 1 && output is not null;
            targets = [.. targets.Select(t => t with { PartsFolder = single ? Path.GetFullPath(output!) : t.BasePath })];
        }

        if (parse.GetValue<string?>("--chapters-json") is { } chaptersJson)
        {
            targets = targets.Count == 1
                ? [targets[0] with { ChaptersJson = Path.GetFullPath(chaptersJson) }]
                : throw MediaException.Invalid("--chapters-json takes one input; give the inputs one at a time.");
        }

        return targets;
    }

    private static Uri ReadServer(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw MediaException.Invalid("Name the server with --server URL or VEXAA_SERVER, e.g. --server http://127.0.0.1:8080.");
        }

        return Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0
            ? uri
            : throw MediaException.Invalid($"--server '{value}' is not an http(s) address such as https://vexaa.example.org.");
    }

    /// <summary>The local ffmpeg, when there is one: only needed to copy the audio out; without it the whole file goes.</summary>
    private static MediaTools? LocateTools()
    {
        try
        {
            return MediaTools.Locate();
        }
        catch (MediaException)
        {
            return null;
        }
    }
}
