using System.CommandLine;
using Vexaa.Cli;
using Vexaa.Media;

var root = new RootCommand("VExAA — extract the audio from video files with FFmpeg.")
{
    ProbeCommand.Create(),
    ExtractCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // One precise line and the usage exit code, rather than a page of help.
    await Console.Error.WriteLineAsync($"vexaa: {parse.Errors[0].Message} (see 'vexaa {parse.CommandResult.Command.Name} --help')");
    return MediaError.InvalidOption.ExitCode();
}

try
{
    return await parse.InvokeAsync();
}
catch (Exception e) when (e is not OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"vexaa: internal error: {e.Message}");
    if (Environment.GetEnvironmentVariable("VEXAA_DEBUG") == "1")
    {
        await Console.Error.WriteLineAsync(e.ToString());
    }

    return 70;
}
