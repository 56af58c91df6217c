namespace Vexaa.Media;

/// <summary>
/// Checks a join's options and turns its probed inputs into a <see cref="JoinPlan"/>: the track of each input (as extract
/// chooses it), the output's rate and layout (the options', else the first part's), and where each part starts.
/// </summary>
public static class JoinPlanner
{
    // Channel layouts a part may be remixed to, by name and channel count: the name goes into the filter graph, so it
    // comes from this table, never from the input's metadata.
    private static readonly Dictionary<string, int> Layouts = new(StringComparer.Ordinal)
    {
        ["2.1"] = 3, ["3.0"] = 3, ["quad"] = 4, ["4.0"] = 4, ["5.0"] = 5, ["5.0(side)"] = 5, ["5.1"] = 6, ["5.1(side)"] = 6, ["6.1"] = 7, ["7.1"] = 8,
    };

    /// <summary>Everything that can be checked before probing: the number of inputs, and options that make sense for a join.</summary>
    public static void Validate(int inputCount, ExtractionOptions options, JoinOptions join, ExtractionLimits limits)
    {
        if (inputCount < 2)
        {
            throw new MediaException(MediaError.JoinNeedsTwoInputs,
                $"A join needs at least two inputs, but {(inputCount == 0 ? "none was" : "one was")} given; extract converts a single input.");
        }

        if (inputCount > limits.MaxInputs)
        {
            throw new MediaException(MediaError.TooManyInputs,
                $"{inputCount} inputs are more than the {limits.MaxInputs} one join may take (--max-inputs).");
        }

        if (options.Start is not null || options.End is not null)
        {
            throw MediaException.Invalid("Start and end cut one input; a join takes every part whole. Cut the parts first with extract, then join them.");
        }

        if (options.AllTracks || options.Split is not null)
        {
            throw MediaException.Invalid(options.AllTracks
                ? "A join takes one audio track of each input; choose it with track or language instead of all tracks."
                : "A join writes one output; split does not apply to it.");
        }

        if (options.AllFormats.Any(f => string.Equals(f, "original", StringComparison.OrdinalIgnoreCase)))
        {
            throw MediaException.Invalid("A join re-encodes its parts into one stream, so format 'original' does not apply; choose a format.");
        }

        if (join.Gap is not null && join.Crossfade is not null)
        {
            throw MediaException.Invalid("Give either a gap (silence between the parts) or a crossfade (the parts overlap), not both.");
        }

        ExtractionPlanner.Validate(options);
    }

    /// <summary>Plans the join of <paramref name="inputs"/>, in order, into one output per format.</summary>
    public static JoinPlan Plan(IReadOnlyList<JoinInput> inputs, ExtractionOptions options, JoinOptions join, ExtractionLimits limits, string? outputExtension = null)
    {
        Validate(inputs.Count, options, join, limits);
        var tracks = inputs.Select(i => Track(i, options)).ToList();
        var durations = inputs.Select((input, i) => tracks[i].Duration ?? input.Media.Duration
            ?? throw new MediaException(MediaError.CorruptMedia, $"{input.Name}: its duration cannot be read, so its place in the join is unknown.")).ToList();
        var gap = join.Gap ?? TimeSpan.Zero;
        var crossfade = join.Crossfade ?? TimeSpan.Zero;
        for (var i = 0; crossfade > TimeSpan.Zero && i < inputs.Count; i++)
        {
            if (durations[i] <= crossfade)
            {
                throw new MediaException(MediaError.CrossfadeTooLong,
                    $"The crossfade ({ExtractionPlanner.Timestamp(crossfade)}) is not shorter than {inputs[i].Name} ({ExtractionPlanner.Timestamp(durations[i])}); every part must be longer than the crossfade.");
            }
        }

        // Part i starts where the previous one ends, after the gap, or where its crossfade begins.
        var starts = new List<TimeSpan>();
        var at = TimeSpan.Zero;
        foreach (var duration in durations)
        {
            starts.Add(at);
            at += duration + gap - crossfade;
        }

        var total = at - gap + crossfade;
        if (total > limits.MaxInputDuration)
        {
            throw new MediaException(MediaError.DurationLimitExceeded,
                $"The parts last {ExtractionPlanner.Timestamp(total)} together, longer than the {ExtractionPlanner.Timestamp(limits.MaxInputDuration)} allowed.");
        }

        var deep = tracks.Any(t => t.BitsPerSample > 16 && (t.Codec is "flac" or "alac" or "wavpack" || t.Codec.StartsWith("pcm_", StringComparison.Ordinal)));
        var outputs = Outputs(tracks[0], options, outputExtension, deep);
        var channels = outputs[0].Channels ?? tracks[0].Channels;
        var layout = channels switch
        {
            1 => "mono",
            2 => "stereo",
            _ => tracks[0].ChannelLayout is { } named && Layouts.TryGetValue(named, out var count) && count == channels ? named : null,
        };
        if (layout is null)
        {
            // A layout this code cannot name safely is taken down to stereo rather than guessed.
            layout = "stereo";
            outputs = [.. outputs.Select(o => o with { Channels = o.Channels ?? 2 })];
        }

        var parts = inputs.Select((input, i) => new JoinPart(input, tracks[i], Title(input), durations[i], starts[i])).ToList();
        var chapters = parts.Select((p, i) => new Chapter(p.Start, i + 1 < parts.Count ? parts[i + 1].Start : total, p.Title)).ToList();
        var output = new ExtractionPlan(outputs, null, null, total, options.Normalize, options.KeepTags, options.Tags)
        {
            Chapters = options.KeepTags ? chapters : [],
        };
        return new JoinPlan(parts, output, outputs[0].SampleRate!.Value, layout, gap, crossfade, deep);
    }

    private static List<TrackPlan> Outputs(AudioTrack first, ExtractionOptions options, string? outputExtension, bool deep)
    {
        var formats = options.AllFormats;
        return [.. formats.Select(name =>
        {
            var format = AudioFormats.Find(name)!;
            if (formats.Count == 1)
            {
                ExtractionPlanner.CheckExtension(outputExtension, format.Extension, $"format {format.Name} writes {format.Extension} files");
            }

            var plan = ExtractionPlanner.PlanEncoded(first, options.ForFormat(name), format);
            return format.Name == "wav" ? plan with { Encoder = deep ? "pcm_s24le" : "pcm_s16le" } : plan;
        })];
    }

    private static AudioTrack Track(JoinInput input, ExtractionOptions options)
    {
        try
        {
            if (input.Media.AudioTracks.Count == 0)
            {
                throw new MediaException(MediaError.NoAudioStream, $"It has {(input.Media.VideoTracks.Count > 0 ? "video but no audio" : "no audio")}; there is nothing to join.");
            }

            return ExtractionPlanner.SelectTracks(input.Media, options)[0];
        }
        catch (MediaException e)
        {
            // Twenty inputs: the message must say which one.
            throw new MediaException(e.Error, $"{input.Name}: {e.Message}", e.ToolOutput);
        }
    }

    /// <summary>The chapter title: the input's title tag, else its file name without the extension.</summary>
    private static string Title(JoinInput input) =>
        ChapterMarkers.Clean(input.Media.Tags.FirstOrDefault(t => string.Equals(t.Key, "title", StringComparison.OrdinalIgnoreCase)).Value)
        ?? ChapterMarkers.Clean(Path.GetFileNameWithoutExtension(input.Name))
        ?? "Part";
}
