using System.Globalization;

namespace Vexaa.Media;

/// <summary>Checks options and turns them, with what the probe found, into an <see cref="ExtractionPlan"/>.</summary>
public static class ExtractionPlanner
{
    /// <summary>
    /// Checks everything that can be checked without the input: the format exists and accepts the bitrate,
    /// quality, sample rate and channels asked for, and the time range makes sense. Throws <see cref="MediaError.InvalidOption"/>.
    /// </summary>
    public static void Validate(ExtractionOptions options)
    {
        if (options.Formats is { Count: > 1 } || options.FormatBitrates.Count + options.FormatSampleRates.Count > 0)
        {
            FormatSet.ValidateEach(options, Validate);
            return;
        }

        var name = options.Format ?? throw MediaException.Invalid($"No output format given; choose one of {string.Join(", ", AudioFormats.Names)}.");
        var isOriginal = string.Equals(name, "original", StringComparison.OrdinalIgnoreCase);
        var format = AudioFormats.Find(name);
        if (format is null && !isOriginal)
        {
            throw MediaException.Invalid($"Unknown format '{name}'; choose one of {string.Join(", ", AudioFormats.Names)}.");
        }

        if (isOriginal)
        {
            var changes = new[]
            {
                (options.BitrateKbps is not null, "a bitrate"), (options.Quality is not null, "a quality"),
                (options.SampleRate is not null, "a sample rate"), (options.Channels is not null, "a channel count"),
                (options.Normalize is not null, "loudness normalisation"),
            }.Where(c => c.Item1).Select(c => c.Item2).ToList();
            if (changes.Count > 0)
            {
                throw MediaException.Invalid($"Format 'original' copies the audio unchanged, so it cannot apply {string.Join(" or ", changes)}; choose a format to re-encode into.");
            }
        }
        else
        {
            ValidateForFormat(options, format!);
            CoverPlanner.CheckFormat(options.Cover, format!.Muxer, format.Extension);
        }

        if (options.Channels is not null and not (1 or 2))
        {
            throw MediaException.Invalid($"Channels must be 1 (mono) or 2 (stereo), not {options.Channels}.");
        }

        var trackChoices = (options.Track is not null ? 1 : 0) + (options.Language is not null ? 1 : 0) + (options.AllTracks ? 1 : 0);
        if (trackChoices > 1)
        {
            throw MediaException.Invalid("Choose the audio by one of track, language or all tracks, not several.");
        }

        if (options.Track is < 0)
        {
            throw MediaException.Invalid($"Track must be 0 or more (0 is the first audio track), not {options.Track}.");
        }

        if ((options.Split is not null || options.Silence is not null) && (options.AllTracks || isOriginal))
        {
            throw MediaException.Invalid(options.AllTracks
                ? "Split and the silence options work on one audio track; choose it with track or language instead of all tracks."
                : "Split and the silence options cut to the sample, which needs re-encoding; choose a format instead of 'original'.");
        }

        if (options is { Start: { } start, End: { } end } && end <= start)
        {
            throw MediaException.Invalid($"End ({Timestamp(end)}) must be after start ({Timestamp(start)}).");
        }
    }

    private static void ValidateForFormat(ExtractionOptions options, AudioFormat format)
    {
        if (options.BitrateKbps is { } kbps)
        {
            if (!format.AcceptsBitrate)
            {
                throw MediaException.Invalid($"{format.Name} is lossless; a bitrate does not apply to it.");
            }

            if (format.BitrateSet is { } set && !set.Contains(kbps))
            {
                throw MediaException.Invalid($"{kbps}k is not an allowed {format.Name} bitrate; use one of {string.Join(", ", set.Select(b => b + "k"))}.");
            }

            if (format.BitrateRange is var (min, max) && (kbps < min || kbps > max))
            {
                throw MediaException.Invalid($"{kbps}k is outside what {format.Name} allows ({min}k to {max}k).");
            }
        }

        if (options.Quality is { } quality)
        {
            if (format.QualityRange is not var (min, max, meaning))
            {
                throw MediaException.Invalid(format.AcceptsBitrate
                    ? $"{format.Name} has no quality scale; set a bitrate instead."
                    : $"{format.Name} is lossless; a quality does not apply to it.");
            }

            if (quality < min || quality > max)
            {
                throw MediaException.Invalid($"Quality {quality.ToString(CultureInfo.InvariantCulture)} is outside {format.Name}'s scale {min} to {max} ({meaning}).");
            }

            if (options.BitrateKbps is not null)
            {
                throw MediaException.Invalid("Give either a bitrate (constant) or a quality (variable), not both.");
            }
        }

        if (options.SampleRate is { } rate && !format.SupportsSampleRate(rate))
        {
            throw MediaException.Invalid(format.SampleRates is { } rates
                ? $"{format.Name} cannot be written at {rate} Hz; use one of {string.Join(", ", rates)}."
                : $"{format.Name} cannot be written at {rate} Hz; use {format.SampleRateRange.Min} to {format.SampleRateRange.Max} Hz.");
        }
    }

    /// <summary>
    /// Plans the extraction of <paramref name="media"/>. <paramref name="outputExtension"/>, when the caller has an output
    /// file name, must agree with the format (for <c>original</c>, ".mka" asks for Matroska, which holds any codec).
    /// </summary>
    public static ExtractionPlan Plan(MediaInfo media, ExtractionOptions options, string? outputExtension = null)
    {
        Validate(options);
        if (media.AudioTracks.Count == 0)
        {
            var what = media.VideoTracks.Count > 0 ? "video but no audio" : "no audio";
            throw new MediaException(MediaError.NoAudioStream, $"The input has {what}; there is nothing to extract.");
        }

        var tracks = SelectTracks(media, options);
        var duration = media.Duration;
        if (options.Start is { } start && duration is { } d1 && start >= d1)
        {
            throw MediaException.Invalid($"Start ({Timestamp(start)}) is at or after the end of the input ({Timestamp(d1)}).");
        }

        if (options.End is { } end && duration is { } d2 && end > d2 + TimeSpan.FromSeconds(0.5))
        {
            throw MediaException.Invalid($"End ({Timestamp(end)}) is after the end of the input ({Timestamp(d2)}).");
        }

        var from = options.Start ?? TimeSpan.Zero;
        TimeSpan? length = options.End is { } e ? e - from : null;
        // Track-major: every format of the first track, then of the next; with one format, one output per track as before.
        var formats = options.AllFormats;
        var outputs = tracks.SelectMany(t => formats.Select(f => PlanTrack(t, options.ForFormat(f), formats.Count > 1 ? null : outputExtension))).ToList();
        var trackDuration = tracks.Select(t => t.Duration).FirstOrDefault(x => x is not null) ?? duration;
        var expected = trackDuration is { } full ? Min(full - from, length ?? TimeSpan.MaxValue) : length;
        CoverPlanner.Check(options.Cover, media, outputs);
        return new ExtractionPlan(outputs, options.Start, length, expected, options.Normalize, options.KeepTags, options.Tags)
        {
            Chapters = options.KeepTags && options.Split is null ? ChapterMarkers.Within(media.Chapters, from, length) : [],
            Parts = options.Split is { Mode: SplitMode.Chapters } ? SplitPlanner.ByChapters(ChapterMarkers.Within(media.Chapters, from, length)) : [],
            Cover = options.Cover,
        };
    }

    internal static List<AudioTrack> SelectTracks(MediaInfo media, ExtractionOptions options)
    {
        var audio = media.AudioTracks;
        if (options.AllTracks)
        {
            return [.. audio];
        }

        if (options.Track is { } number)
        {
            return number < audio.Count
                ? [audio[number]]
                : throw new MediaException(MediaError.TrackNotFound, $"There is no audio track {number}; the input has {ListTracks(audio)}.");
        }

        if (options.Language is { } language)
        {
            var matches = audio.Where(t => LanguageMatches(t.Language, language)).ToList();
            return matches.Count > 0
                ? [matches.FirstOrDefault(t => t.IsDefault) ?? matches[0]]
                : throw new MediaException(MediaError.TrackNotFound, $"No audio track is in language '{language}'; the input has {ListTracks(audio)}.");
        }

        return [audio.FirstOrDefault(t => t.IsDefault) ?? audio[0]];
    }

    private static bool LanguageMatches(string? trackLanguage, string wanted) =>
        trackLanguage is not null && (string.Equals(trackLanguage, wanted, StringComparison.OrdinalIgnoreCase)
            || (wanted.Length == 2 && trackLanguage.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)));

    private static string ListTracks(IReadOnlyList<AudioTrack> audio) =>
        (audio.Count == 1 ? "1 audio track: " : $"{audio.Count} audio tracks: ")
        + string.Join(", ", audio.Select(t => $"{t.Index} ({t.Language ?? "no language"}, {t.Codec})"));

    private static TrackPlan PlanTrack(AudioTrack track, ExtractionOptions options, string? outputExtension)
    {
        if (string.Equals(options.Format, "original", StringComparison.OrdinalIgnoreCase))
        {
            var (muxer, extension) = string.Equals(outputExtension, ".mka", StringComparison.OrdinalIgnoreCase)
                ? ("matroska", ".mka")
                : AudioFormats.ContainerForCopy(track.Codec);
            CheckExtension(outputExtension, extension, $"the original audio is {track.Codec}, which is copied into {extension} (or .mka)");
            return new TrackPlan(track, "original", muxer, extension, true, null, null, null, null, null);
        }

        var format = AudioFormats.Find(options.Format!)!;
        CheckExtension(outputExtension, format.Extension, $"format {format.Name} writes {format.Extension} files");
        var unchanged = options.BitrateKbps is null && options.Quality is null && options.Normalize is null && options.Split is null && options.Silence is null
            && (options.SampleRate is null || options.SampleRate == track.SampleRate)
            && (options.Channels is null || options.Channels == track.Channels);
        if (unchanged && format.CanCopy(track.Codec))
        {
            return new TrackPlan(track, format.Name, format.Muxer, format.Extension, true, null, null, null, null, null);
        }

        return PlanEncoded(track, options, format);
    }

    /// <summary>How <paramref name="track"/> is re-encoded into the (checked) format of <paramref name="options"/>; a join always re-encodes.</summary>
    internal static TrackPlan PlanEncoded(AudioTrack track, ExtractionOptions options, AudioFormat format)
    {
        var quality = options.Quality ?? (options.BitrateKbps is null ? format.DefaultQuality : null);
        var bitrate = options.BitrateKbps ?? (quality is null ? format.DefaultBitrateKbps : null);
        var sourceRate = track.SampleRate > 0 ? track.SampleRate : 48000;
        var rate = options.SampleRate ?? (format.SupportsSampleRate(sourceRate) ? sourceRate : format.NearestSampleRate(sourceRate));
        int? channels = options.Channels ?? (track.Channels > format.MaxChannels ? format.MaxChannels : null);
        return new TrackPlan(track, format.Name, format.Muxer, format.Extension, false, Encoder(format, track), bitrate, quality, rate, channels);
    }

    private static string Encoder(AudioFormat format, AudioTrack track)
    {
        // WAV keeps 24 bits when a lossless source has more than 16; lossy sources gain nothing from it.
        var lossless = track.Codec is "flac" or "alac" or "truehd" or "mlp" or "wavpack" || track.Codec.StartsWith("pcm_", StringComparison.Ordinal);
        return format.Name == "wav" && lossless && track.BitsPerSample > 16 ? "pcm_s24le" : format.Encoder;
    }

    internal static void CheckExtension(string? actual, string expected, string reason)
    {
        if (actual is not null && !string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw MediaException.Invalid($"The output name ends in '{actual}', but {reason}; name it *{expected}.");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    // Whole hours, not the hour of the day: 26 h is "26:00:00", never "2:00:00".
    internal static string Timestamp(TimeSpan t) => t.TotalHours >= 1
        ? ((long)t.TotalHours).ToString(CultureInfo.InvariantCulture) + t.ToString(@"\:mm\:ss\.FFF", CultureInfo.InvariantCulture).TrimEnd('.')
        : t.ToString(@"m\:ss\.FFF", CultureInfo.InvariantCulture).TrimEnd('.');
}
