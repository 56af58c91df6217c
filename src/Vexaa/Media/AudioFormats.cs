namespace Vexaa.Media;

/// <summary>The formats VExAA writes, plus <c>original</c> (copy the source audio unchanged).</summary>
public static class AudioFormats
{
    private static readonly int[] Mp3Rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];
    private static readonly int[] AacRates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000];

    public static readonly AudioFormat Mp3 = new()
    {
        Name = "mp3", Codec = "mp3", Encoder = "libmp3lame", Muxer = "mp3", Extension = ".mp3", Description = "MP3 (LAME)",
        BitrateSet = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320], DefaultBitrateKbps = 192,
        QualityRange = (0, 9, "0 is best, 9 smallest"), SampleRates = Mp3Rates, MaxChannels = 2,
    };

    public static readonly AudioFormat Aac = new()
    {
        Name = "aac", Codec = "aac", Encoder = "aac", Muxer = "adts", Extension = ".aac", Description = "AAC in a raw ADTS stream",
        BitrateRange = (16, 512), DefaultBitrateKbps = 192, SampleRates = AacRates,
    };

    public static readonly AudioFormat M4a = Aac with
    {
        Name = "m4a", Muxer = "ipod", Extension = ".m4a", Description = "AAC in an MPEG-4 audio file",
    };

    public static readonly AudioFormat Opus = new()
    {
        Name = "opus", Codec = "opus", Encoder = "libopus", Muxer = "opus", Extension = ".opus", Description = "Opus in Ogg",
        BitrateRange = (6, 510), DefaultBitrateKbps = 128, SampleRates = [8000, 12000, 16000, 24000, 48000],
    };

    public static readonly AudioFormat Ogg = new()
    {
        Name = "ogg", Codec = "vorbis", Encoder = "libvorbis", Muxer = "ogg", Extension = ".ogg", Description = "Vorbis in Ogg",
        BitrateRange = (45, 500), QualityRange = (-1, 10, "10 is best, -1 smallest"), DefaultQuality = 5,
        SampleRateRange = (8000, 192000),
    };

    public static readonly AudioFormat Flac = new()
    {
        Name = "flac", Codec = "flac", Encoder = "flac", Muxer = "flac", Extension = ".flac", Description = "FLAC (lossless)",
        Lossless = true, SampleRateRange = (1000, 655350),
    };

    public static readonly AudioFormat Wav = new()
    {
        Name = "wav", Codec = "pcm_s16le", Encoder = "pcm_s16le", Muxer = "wav", Extension = ".wav", Description = "WAV (PCM, lossless)",
        Lossless = true, SampleRateRange = (1000, 768000),
    };

    public static readonly AudioFormat Alac = new()
    {
        Name = "alac", Codec = "alac", Encoder = "alac", Muxer = "ipod", Extension = ".m4a", Description = "Apple Lossless in an MPEG-4 audio file",
        Lossless = true, SampleRateRange = (1000, 384000),
    };

    /// <summary>Every encodable format, by name.</summary>
    public static IReadOnlyList<AudioFormat> All { get; } = [Mp3, Aac, M4a, Opus, Ogg, Flac, Wav, Alac];

    /// <summary>The names accepted by <c>--format</c>, <c>original</c> included.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name), "original"];

    public static AudioFormat? Find(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format an output file name asks for, e.g. <c>talk.mp3</c> → mp3. ALAC shares .m4a with AAC, so .m4a means AAC.</summary>
    public static AudioFormat? FromExtension(string extension) => extension.ToLowerInvariant() switch
    {
        ".oga" => Ogg,
        var e => All.FirstOrDefault(f => f.Extension == e && f != Alac),
    };

    /// <summary>
    /// Where a copied stream goes: a container made for its codec, and Matroska audio (.mka), which holds anything, otherwise.
    /// </summary>
    public static (string Muxer, string Extension) ContainerForCopy(string codec) => codec switch
    {
        "aac" or "alac" => ("ipod", ".m4a"),
        "mp3" => ("mp3", ".mp3"),
        "mp2" => ("mp2", ".mp2"),
        "opus" => ("opus", ".opus"),
        "vorbis" => ("ogg", ".ogg"),
        "flac" => ("flac", ".flac"),
        "ac3" => ("ac3", ".ac3"),
        "eac3" => ("eac3", ".eac3"),
        _ when AudioFormat.WavCopyable.Contains(codec) => ("wav", ".wav"),
        _ => ("matroska", ".mka"),
    };
}
