using System.CommandLine;
using Vexaa.Media;

namespace Vexaa.Cli;

// The silence options of extract: trimmed, shortened pauses, and the level and length that make a pause.
internal static partial class ExtractCommand
{
    private static readonly Option<bool> TrimSilence = new("--trim-silence") { Description = "Remove the silence at the start and the end." };
    private static readonly Option<string?> MaxPause = new("--max-pause") { Description = "Shorten every pause longer than this many seconds to that length (dead air)." };
    private static readonly Option<string?> SilenceThreshold = new("--silence-threshold") { Description = "What counts as silence, in dBFS (default -50)." };
    private static readonly Option<string?> SilenceMin = new("--silence-min") { Description = "The shortest pause that counts, in seconds (default 0.5)." };

    private static IEnumerable<Option> SilenceOptions() => [TrimSilence, MaxPause, SilenceThreshold, SilenceMin];

    private static SilenceOptions? ReadSilence(ParseResult parse) => OptionParser.ParseSilence(
        parse.GetValue(TrimSilence), parse.GetValue(MaxPause), parse.GetValue(SilenceThreshold), parse.GetValue(SilenceMin), ("--max-pause", "--silence-min"));
}
