using System.CommandLine;
using System.CommandLine.Help;

namespace Vexaa.Cli;

/// <summary>How the command line speaks of itself: as <c>vexaa</c>, whatever file it runs from.</summary>
internal static class CliUsage
{
    public const string Name = "vexaa";

    /// <summary>
    /// System.CommandLine names the root command after the executable (Vexaa.Cli.dll under `dotnet`) and offers no way to
    /// rename it, so help is rendered to a buffer and the name replaced.
    /// </summary>
    public static int PrintHelp(ParseResult parse)
    {
        using var text = new StringWriter();
        parse.Invoke(new InvocationConfiguration { Output = text });
        Console.Out.Write(text.ToString().Replace(RootCommand.ExecutableName, Name, StringComparison.Ordinal));
        return 0;
    }

    public static bool IsHelp(ParseResult parse) => parse.Action is HelpAction;

    /// <summary>The first word when it names no command: "unknown command 'bogus'" and the nearest one.</summary>
    public static string? UnknownCommand(RootCommand root, string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].StartsWith('[') || root.Subcommands.Any(c => c.Name == args[0] || c.Aliases.Contains(args[0])))
        {
            return null;
        }

        var nearest = root.Subcommands.Where(c => !c.Hidden).MinBy(c => Distance(args[0], c.Name))!.Name;
        return $"unknown command '{args[0]}'; did you mean '{nearest}'? (see '{Name} --help')";
    }

    /// <summary>"vexaa extract --help" for the command a parse error belongs to.</summary>
    public static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command is RootCommand ? Name : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
