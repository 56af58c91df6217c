using Vexaa.Media;

namespace Vexaa.Tests.Media;

/// <summary>Hand-made probe results, for planner and argument tests that need no real file.</summary>
internal static class Fake
{
    public static AudioTrack Track(int index, string codec = "aac", int channels = 2, int rate = 48000, string? language = null, bool isDefault = false, int? bits = null) =>
        new(index, index + 1, codec, codec, null, channels, null, rate, "fltp", bits, 128000, language, null, isDefault, TimeSpan.FromSeconds(10));

    public static MediaInfo Media(params AudioTrack[] tracks) =>
        new("mov,mp4,m4a,3gp,3g2,mj2", "QuickTime / MOV", TimeSpan.FromSeconds(10), 1000, 100000, tracks,
            [new VideoTrack(0, "h264", 320, 240, 25, false)], [], new Dictionary<string, string>());
}
