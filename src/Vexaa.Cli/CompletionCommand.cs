using System.CommandLine;

namespace Vexaa.Cli;

/// <summary>
/// <c>vexaa completion bash|zsh|fish</c>: a script that asks vexaa itself what may come next, through System.CommandLine's
/// <c>[suggest:POSITION]</c> directive, so completions always match the installed version's commands and options.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", "Print a shell completion script (e.g. source <(vexaa completion bash) in ~/.bashrc).") { shell };
        command.SetAction(parse =>
        {
            Console.Out.Write(Script(parse.GetValue(shell)!));
            return 0;
        });
        return command;
    }

    // Each script drops the program's own name from the line, because the directive parses only what follows it.
    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # vexaa completion for bash. Load it with: source <(vexaa completion bash)
            _vexaa() {
              local line="${COMP_LINE:0:COMP_POINT}"
              line="${line#*[[:space:]]}"
              local IFS=$'\n'
              COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${#line}]" "$line" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F _vexaa vexaa ./vexaa

            """,
        "zsh" => """
            #compdef vexaa
            # vexaa completion for zsh. Load it with: source <(vexaa completion zsh)
            _vexaa() {
              local line="${BUFFER[1,CURSOR]}"
              line="${line#* }"
              local -a items
              items=("${(@f)$(${words[1]} "[suggest:${#line}]" "$line" 2>/dev/null)}")
              compadd -a items
              _files
            }
            compdef _vexaa vexaa ./vexaa

            """,
        _ => """
            # vexaa completion for fish. Load it with: vexaa completion fish | source
            function __vexaa_complete
                set -l line (commandline -cp)
                set -l rest (string replace -r '^\S+\s*' '' -- $line)
                set -l program (commandline -opc)[1]
                $program "[suggest:"(string length -- "$rest")"]" "$rest" 2>/dev/null
            end
            complete -c vexaa -a '(__vexaa_complete)'
            complete -c ./vexaa -a '(__vexaa_complete)'

            """,
    };
}
