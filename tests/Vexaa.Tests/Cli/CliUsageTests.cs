using Vexaa.Tests.Support;

namespace Vexaa.Tests.Cli;

/// <summary>How the command line presents itself: its name, no command, a mistyped one, shell completion.</summary>
public sealed class CliUsageTests
{

    private static Task<Proc.Result> VexaaAsync(params string[] args) => Proc.VexaaAsync(args);

    [Fact(Timeout = 60_000)]
    public async Task Without_a_command_it_prints_the_help_under_the_name_vexaa()
    {
        var r = await VexaaAsync();

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("vexaa [command] [options]", r.Stdout);
        Assert.Contains("completion", r.Stdout);
        Assert.DoesNotContain("Vexaa.Cli", r.Stdout + r.Stderr);
        Assert.DoesNotContain("Vexaa.Cli", (await VexaaAsync("extract", "--help")).Stdout);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_command_is_named_with_the_nearest_match()
    {
        var r = await VexaaAsync("extrct", "movie.mp4");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("vexaa: unknown command 'extrct'; did you mean 'extract'? (see 'vexaa --help')", r.Stderr.Trim());
        Assert.Contains("unknown command 'bogus'", (await VexaaAsync("bogus")).Stderr);
        Assert.Contains("see 'vexaa probe --help'", (await VexaaAsync("probe")).Stderr);
    }

    [Fact(Timeout = 90_000)]
    public async Task The_bash_completion_script_completes_options_from_vexaa_itself()
    {
        using var bin = new TempDir();
        var wrapper = Path.Combine(bin.Path, "vexaa");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet '{Proc.VexaaDll}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var shell in new[] { "bash", "zsh", "fish" })
        {
            var script = await VexaaAsync("completion", shell);
            Assert.Equal(0, script.ExitCode);
            Assert.Contains("[suggest:", script.Stdout);
        }

        var r = await Proc.RunAsync("bash", ["-c", """
            source <(vexaa completion bash)
            COMP_LINE="vexaa extract --for"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(vexaa extract --for); COMP_CWORD=2
            _vexaa; printf '%s\n' "${COMPREPLY[@]}"
            COMP_LINE="vexaa pr"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(vexaa pr); COMP_CWORD=1
            _vexaa; printf '%s\n' "${COMPREPLY[@]}"
            """], env: new Dictionary<string, string> { ["PATH"] = bin.Path + ":" + Environment.GetEnvironmentVariable("PATH") });

        Assert.Equal(["--format", "probe"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, (await VexaaAsync("completion", "powershell")).ExitCode);
    }
}
