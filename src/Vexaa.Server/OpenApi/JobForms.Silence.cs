using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

// Splitting (by chapters or at pauses) and the silence options.
internal static partial class JobForms
{
    private static void AddSplitAndSilence(Dictionary<string, IOpenApiSchema> properties)
    {
        properties["split"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = "^(chapters|silence(:[0-9]+(\\.[0-9]+)?)?)$",
            Description = "`chapters`: one result per chapter (`01 - Intro.mp3`, ...); `silence` or `silence:SECONDS`: one result per stretch of sound "
                + "between pauses at least that long (default 2 s), cut in the middle of each pause. At most 200 parts (`too-many-parts`); "
                + "`no-chapters` / `no-pauses` when there is nothing to split at.",
        };
        properties["trimSilence"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Remove the silence at the start and the end (`all-silence` if nothing else is left)." };
        properties["maxPause"] = Describe.String("Shorten every pause longer than this many seconds to that length, cutting its middle out; chapters move up with the audio.");
        properties["silenceThreshold"] = Describe.String("What counts as silence, in dBFS: `-50` (the default) or `-50dB`.");
        properties["silenceMin"] = Describe.String("The shortest pause that counts, in seconds (default 0.5). The pauses found are in `input.probe.silences`.");
    }
}
