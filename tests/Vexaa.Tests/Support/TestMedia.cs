namespace Vexaa.Tests.Support;

/// <summary>
/// Generates every test input once per run with ffmpeg's synthetic sources: good files in the common containers and
/// codecs, broken files, and hostile ones (playlists and lists that point at other files, disguised as .mp4).
/// </summary>
public sealed class TestMedia : IAsyncLifetime
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "vexaa-media-" + Guid.NewGuid().ToString("N")[..8]);

    public string this[string name] => Path.Combine(Dir, name);

    /// <summary>A file name with spaces, quotes, a leading dash and a shell substitution in it.</summary>
    public const string WeirdName = "-y $(touch pwned) 'quoted' \"name\".mp4";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        string[] video = ["-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25"];
        string[] h264 = ["-c:v", "libx264", "-preset", "ultrafast"];
        async Task Gen(params string[] args) => await Proc.FfmpegAsync(args);

        await Task.WhenAll(
            Gen([.. video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "5", .. h264, "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", this["good-h264-aac.mp4"]]),
            Gen([.. video, "-f", "lavfi", "-i", "sine=frequency=523:sample_rate=48000", "-t", "5", .. h264, "-c:a", "libopus", "-b:a", "96k", this["good-h264-opus.mkv"]]),
            Gen([.. video, "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "5", "-c:v", "mpeg4", "-c:a", "libmp3lame", this["good-mpeg4-mp3.avi"]]),
            Gen([.. video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", "5",
                "-map", "0:v", "-map", "1:a", "-map", "2:a", .. h264, "-c:a", "aac",
                "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=deu",
                "-disposition:a:0", "0", "-disposition:a:1", "default", this["good-two-audio-tracks.mp4"]]),
            Gen([.. video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "5", .. h264, "-c:a", "aac",
                "-metadata", "title=Interview — part 1", "-metadata", "artist=VExAA", this["good-with-tags.mp4"]]),
            Gen(["-f", "lavfi", "-i", "sine=frequency=200:sample_rate=48000", "-t", "4", "-filter_complex", "[0:a]pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0[a]",
                "-map", "[a]", "-c:a", "ac3", "-b:a", "384k", this["surround-ac3.mkv"]]),
            Gen(["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=96000", "-t", "3", "-c:a", "flac", "-sample_fmt", "s32", "-bits_per_raw_sample", "24", this["hires-flac.mkv"]]),
            Gen(["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=44100", "-t", "3", "-c:a", "pcm_s16le", this["pcm.mov"]]),
            Gen([.. video, "-f", "lavfi", "-i", "anullsrc=sample_rate=48000:channel_layout=stereo", "-t", "3", .. h264, "-c:a", "aac", this["silent.mp4"]]),
            Gen([.. video, "-t", "3", .. h264, this["broken-no-audio.mp4"]]),
            Gen(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "30", "-c:a", "aac", this["long-30s.m4a"]]),
            Gen(["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000", "-t", "400", "-c:a", "aac", "-b:a", "64k", this["long-400s.m4a"]]));

        await File.WriteAllTextAsync(this["chapters.txt"], ";FFMETADATA1\ntitle=With chapters\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=Intro\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=2000\nEND=5000\ntitle=Main part\n");
        await Gen("-i", this["good-h264-opus.mkv"], "-f", "ffmetadata", "-i", this["chapters.txt"], "-map", "0", "-map_metadata", "1", "-map_chapters", "1", "-metadata:s:a:0", "title=Commentary", "-c", "copy", this["chapters.mkv"]);

        var good = await File.ReadAllBytesAsync(this["good-h264-aac.mp4"]);
        await File.WriteAllBytesAsync(this["broken-truncated.mp4"], good[..(good.Length / 4)]);
        await File.WriteAllBytesAsync(this["broken-empty.mp4"], []);
        await File.WriteAllTextAsync(this["broken-text.mp4"], "just some text, not a video\n");
        var random = new byte[64 * 1024];
        new Random(42).NextBytes(random);
        await File.WriteAllBytesAsync(this["broken-random.mp4"], random);
        File.Copy(this["good-h264-aac.mp4"], this[WeirdName]);

        var playlist = $"#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.0,\nfile://{this["good-h264-aac.mp4"]}\n#EXT-X-ENDLIST\n";
        await File.WriteAllTextAsync(this["hostile-playlist.m3u8"], playlist);
        await File.WriteAllTextAsync(this["hostile-playlist.mp4"], playlist);
        await File.WriteAllTextAsync(this["hostile-playlist-network.mp4"], "#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5.0,\nhttp://127.0.0.1:9/segment.ts\n#EXT-X-ENDLIST\n");
        await File.WriteAllTextAsync(this["hostile-concat.mp4"], $"ffconcat version 1.0\nfile {this["good-h264-aac.mp4"]}\n");
        await File.WriteAllTextAsync(this["hostile-sdp.mp4"], "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 9 RTP/AVP 0\n");
        await Gen("-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", "-f", "image2", "-c:v", "png", this["image.png"]);
        File.Copy(this["image.png"], this["hostile-image.mp4"]);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class MediaCollection : ICollectionFixture<TestMedia>
{
    public const string Name = "media";
}
