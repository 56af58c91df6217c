using System.CommandLine;
using Vexaa.Packaging;

namespace Vexaa.Cli;

/// <summary><c>vexaa verify BAG</c>: checks a BagIt bag's fixity (a folder or a zip). Exit 0 valid, 30 invalid, 31 not a bag.</summary>
internal static class VerifyCommand
{
    private static readonly Argument<string> Bag = new("bag") { Description = "The bag: its folder, or a .zip of it." };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the outcome as one JSON line on stdout." };

    public static Command Create()
    {
        var command = new Command("verify", "Check a BagIt bag: every file present, unchanged, and listed in its manifests.") { Bag, Json };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = parse.GetValue(Bag)!;
        var result = await BagVerifier.VerifyAsync(path, cancellationToken);
        if (parse.GetValue(Json))
        {
            Console.WriteLine(CliOutput.ToJson(new { type = "verify", valid = result.Valid, code = result.Error?.Code(), problems = result.Problems }));
        }
        else if (result.Valid)
        {
            Console.WriteLine($"{path}: valid bag");
        }
        else
        {
            // The first line names the first bad file; the rest list everything else that changed or is missing.
            await Console.Error.WriteLineAsync($"vexaa: {result.Error!.Value.Code()}: {result.Problems[0]}");
            foreach (var problem in result.Problems.Skip(1))
            {
                await Console.Error.WriteLineAsync("  " + problem);
            }
        }

        return result.Error?.ExitCode() ?? 0;
    }
}
