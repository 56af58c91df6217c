using System.Globalization;

namespace Vexaa.Media;

/// <summary>One report from ffmpeg's machine-readable <c>-progress</c> stream.</summary>
internal sealed record FfmpegProgress(TimeSpan Processed, double? Speed, long? TotalSize, bool Finished);

/// <summary>Accumulates <c>key=value</c> lines and yields a report at every <c>progress=</c> line.</summary>
internal sealed class FfmpegProgressParser
{
    private TimeSpan _processed;
    private double? _speed;
    private long? _size;

    public FfmpegProgress? Feed(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return null;
        }

        var key = line[..equals];
        var value = line[(equals + 1)..].Trim();
        switch (key)
        {
            // In ffmpeg 5.1 out_time_ms is also in microseconds; out_time_us says so in its name.
            case "out_time_us" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0:
                _processed = TimeSpan.FromTicks(us * 10);
                break;
            case "speed" when double.TryParse(value.TrimEnd('x'), NumberStyles.Float, CultureInfo.InvariantCulture, out var speed) && double.IsFinite(speed):
                _speed = speed;
                break;
            case "total_size" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size):
                _size = size;
                break;
            case "progress":
                return new FfmpegProgress(_processed, _speed, _size, value == "end");
        }

        return null;
    }
}
