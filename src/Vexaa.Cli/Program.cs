using System.CommandLine;
using System.Runtime.InteropServices;
using Vexaa.Cli;
using Vexaa.Media;

var root = new RootCommand("VExAA — extract the audio from video files with FFmpeg.")
{
    ProbeCommand.Create(),
    ExtractCommand.Create(),
    JoinCommand.Create(),
    Vexaa.Cli.Submit.SubmitCommand.Create(),
    ServeCommand.Create(),
    WorkCommand.Create(),
    AdminCommands.Keys(),
    AdminCommands.Users(),
    CompletionCommand.Create(),
    VerifyCommand.Create(),
};

if (CliUsage.UnknownCommand(root, args) is { } unknown)
{
    await Console.Error.WriteLineAsync($"vexaa: {unknown}");
    return MediaError.InvalidOption.ExitCode();
}

var parse = root.Parse(FileArguments.Protect(root, args));
if (args.Length == 0 || CliUsage.IsHelp(parse))
{
    // No command at all: what the commands are, rather than an error about a missing one.
    return CliUsage.PrintHelp(args.Length == 0 ? root.Parse(["--help"]) : parse);
}

if (parse.Errors.Count > 0)
{
    // One precise line and the usage exit code, rather than a page of help.
    await Console.Error.WriteLineAsync($"vexaa: {parse.Errors[0].Message} (see '{CliUsage.CommandPath(parse)} --help')");
    return MediaError.InvalidOption.ExitCode();
}

// Ctrl+C and SIGTERM cancel the work, which kills ffmpeg and removes partial files before exiting with 130.
// System.CommandLine's own handling would return without waiting for that clean-up, orphaning ffmpeg.
// A second signal, once clean-up is under way, falls through to the default: exit at once.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
try
{
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Exit 70 (EX_SOFTWARE) is a bug in VExAA, not in the input: one line, the trace with VEXAA_DEBUG=1.
    await Console.Error.WriteLineAsync($"vexaa: internal error: {e.Message.ReplaceLineEndings(" ")}");
    if (Environment.GetEnvironmentVariable("VEXAA_DEBUG") == "1")
    {
        await Console.Error.WriteLineAsync(e.ToString());
    }

    return 70;
}
