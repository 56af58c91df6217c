using Vexaa.Tests.Support;

namespace Vexaa.Tests.Submit;

public sealed class SubmitCompletionTests
{

    [Fact(Timeout = 90_000)]
    public async Task Completion_offers_submit_its_own_options_and_extracts()
    {
        using var bin = new TempDir();
        var wrapper = Path.Combine(bin.Path, "vexaa");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec dotnet '{Proc.VexaaDll}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var r = await Proc.RunAsync("bash", ["-c", """
            source <(vexaa completion bash)
            COMP_LINE="vexaa sub"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(vexaa sub); COMP_CWORD=1
            _vexaa; printf '%s\n' "${COMPREPLY[@]}"
            COMP_LINE="vexaa submit --upl"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(vexaa submit --upl); COMP_CWORD=2
            _vexaa; printf '%s\n' "${COMPREPLY[@]}"
            COMP_LINE="vexaa submit --norm"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(vexaa submit --norm); COMP_CWORD=2
            _vexaa; printf '%s\n' "${COMPREPLY[@]}"
            """], env: new Dictionary<string, string> { ["PATH"] = bin.Path + ":" + Environment.GetEnvironmentVariable("PATH") });

        Assert.Equal(["submit", "--upload-whole", "--normalize"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
