using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary>Shared output conventions: JSON for scripts, one-line errors on stderr, readable sizes and times.</summary>
internal static class CliOutput
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new SecondsJsonConverter() },
    };

    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static int Fail(MediaException e, string? subject = null)
    {
        Console.Error.WriteLine(subject is null ? $"vexaa: {e.Message}" : $"vexaa: {subject}: {e.Message}");
        return e.Error.ExitCode();
    }

    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public static string Duration(TimeSpan t) =>
        t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    public static string Channels(int channels, string? layout) => channels switch
    {
        1 => "mono",
        2 => "stereo",
        _ => layout ?? channels.ToString(CultureInfo.InvariantCulture) + " channels",
    };

    public static string Lufs(double value) =>
        double.IsFinite(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) + " LUFS" : "silent";
}
