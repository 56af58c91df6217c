using System.Text.Json.Serialization;
using Vexaa.Media;

namespace Vexaa.Jobs;

// A join: several inputs, in order, in one output. The first input is the job's own (InputKey, InputName); the others
// are stored under JobFiles.PartKey and listed here by the server, never by the client (no request field sets them).
public sealed partial record JobOptions
{
    /// <summary>Seconds of silence between the parts of a join (seconds, MM:SS or HH:MM:SS.fff).</summary>
    public string? Gap { get; init; }

    /// <summary>Adjacent parts of a join overlap by this long, one fading into the next.</summary>
    public string? Crossfade { get; init; }

    /// <summary>The second and later inputs of a join, in order; null for a job with one input.</summary>
    public List<JobInputPart>? JoinParts { get; init; }

    [JsonIgnore]
    public bool IsJoin => JoinParts is { Count: > 0 };

    /// <summary>The gap or crossfade, parsed; throws invalid-option naming the field.</summary>
    public JoinOptions ToJoinOptions() => new()
    {
        Gap = Gap is { Length: > 0 } g ? OptionParser.ParseTime(g, "gap") : null,
        Crossfade = Crossfade is { Length: > 0 } c ? OptionParser.ParseTime(c, "crossfade") : null,
    };

    /// <summary>
    /// Checks the options of a job with <paramref name="inputCount"/> inputs: a join's with the engine's join rules, a single
    /// input's refusing the join-only fields (so a gap sent with one file is an error, not ignored).
    /// </summary>
    public void CheckInputs(int inputCount, ExtractionOptions extraction, int maxInputs)
    {
        var join = ToJoinOptions();
        if (inputCount > 1 || join.Gap is not null || join.Crossfade is not null)
        {
            JoinPlanner.Validate(inputCount, extraction, join, new ExtractionLimits { MaxInputs = maxInputs });
            if (extraction.Silence is not null)
            {
                throw MediaException.Invalid("A join takes every part whole; trimSilence, maxPause and the silence settings do not apply to it (convert the parts first).");
            }

            if (Package is not null || Cover is not null)
            {
                throw MediaException.Invalid(Package is not null
                    ? "A join writes one output per format; package does not apply to it."
                    : "A join takes the sound of each input, not a picture; cover does not apply to it.");
            }
        }
    }
}

/// <summary>One more input of a join, as uploaded: its name (naming its chapter), size and SHA-256.</summary>
public sealed record JobInputPart(string Name, long Size, string Sha256);
