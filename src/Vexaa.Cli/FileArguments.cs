using System.CommandLine;

namespace Vexaa.Cli;

/// <summary>
/// An input named like an option (<c>-y.mp4</c>) that exists as a file is a file: the parser would otherwise split it into
/// the option <c>-y</c> and a missing <c>.mp4</c>. Such a token becomes <c>./-y.mp4</c> before parsing. Tokens after
/// <c>--</c>, option names, and option values are left alone.
/// </summary>
internal static class FileArguments
{
    public static string[] Protect(Command root, string[] args)
    {
        if (args.Length == 0 || root.Subcommands.FirstOrDefault(c => c.Name == args[0]) is not { Name: "extract" or "join" or "probe" or "submit" } command)
        {
            return args;
        }

        var names = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        var flags = command.Options.Where(o => o.ValueType == typeof(bool)).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        var result = (string[])args.Clone();
        for (var i = 1; i < result.Length; i++)
        {
            var token = result[i];
            if (token == "--")
            {
                break;
            }

            if (names.Contains(token))
            {
                // An option that takes a value: its value is not an input, whatever it looks like.
                i += flags.Contains(token) ? 0 : 1;
                continue;
            }

            if (token.StartsWith('-') && !token.StartsWith("--", StringComparison.Ordinal) && File.Exists(token))
            {
                result[i] = "./" + token;
            }
        }

        return result;
    }
}
