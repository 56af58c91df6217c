using System.Globalization;

namespace Vexaa.Media;

public sealed partial class MediaProber
{
    /// <summary>
    /// The audio's real length, from the durations of the first audio track's packets. A container's duration is its
    /// last timestamp minus its first: when timestamps jump backwards (two MPEG-TS recordings joined, a 33-bit wrap), that
    /// difference is a day or more for a file of seconds. Reads the whole file, so it is only asked when the duration
    /// the header gives would refuse the input. Null when it cannot be measured.
    /// </summary>
    public async Task<TimeSpan?> MeasureAudioDurationAsync(string path, CancellationToken cancellationToken)
    {
        double total = 0;
        var packets = 0L;
        string[] arguments =
        [
            "-hide_banner", "-v", "error",
            "-protocol_whitelist", ContainerAllowList.ProtocolWhitelist,
            "-format_whitelist", ContainerAllowList.FormatWhitelist,
            "-select_streams", "a:0", "-show_entries", "packet=duration_time", "-of", "csv=p=0",
            FfmpegArguments.InputUrl(Path.GetFullPath(path)),
        ];
        var result = await ToolRunner.RunAsync(tools.Ffprobe, arguments, SandboxView.Reading(Path.GetFullPath(path)), tools.Sandbox, line =>
        {
            if (double.TryParse(line.Trim().TrimEnd(','), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and < 60)
            {
                total += seconds;
                packets++;
            }
        }, null, cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 && packets > 0 ? TimeSpan.FromSeconds(total) : null;
    }
}
