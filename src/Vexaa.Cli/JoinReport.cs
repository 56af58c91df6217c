using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary>After a join's result line: each part (where it starts, its loudness in and out) and the whole's loudness.</summary>
internal static class JoinReport
{
    public static void Write(bool json, string label, JoinResult result)
    {
        if (json)
        {
            Console.Out.WriteLine(CliOutput.ToJson(new { @event = "join", input = label, parts = result.Parts, outputLufs = result.OutputLufs }));
            return;
        }

        for (var i = 0; i < result.Parts.Count; i++)
        {
            var p = result.Parts[i];
            var loudness = p.MeasuredLufs is { } m
                ? $", {CliOutput.Lufs(m)} → {CliOutput.Lufs(p.TargetLufs ?? m)}"
                : ", silent (left as it is)";
            Console.Out.WriteLine($"  {i + 1}. {p.Title} ({p.Input}) at {CliOutput.Duration(p.Start)}, {CliOutput.Duration(p.Duration)}{loudness}");
        }

        if (result.OutputLufs is { } lufs)
        {
            Console.Out.WriteLine($"  the whole: {CliOutput.Lufs(lufs)}");
        }
    }
}
