using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Vexaa.Media;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// The two bodies of POST /api/v1/jobs. The handler reads them by hand (to stream the file), so the framework cannot
/// infer them; the field list is the one <see cref="Jobs.JobRequestFields"/> accepts, with the CLI's words and rules.
/// </summary>
internal static partial class JobForms
{
    public const string Multipart = "JobForm";
    public const string Json = "JobFromUpload";

    public static OpenApiSchema Schema(bool multipart)
    {
        var properties = new Dictionary<string, IOpenApiSchema>();
        AddSources(properties, multipart);

        properties["format"] = Describe.Enum(AudioFormats.Names,
            "Output format; default mp3. `aac` is ADTS .aac, `m4a` AAC in MPEG-4, `ogg` Vorbis, `alac` in .m4a, `original` copies the source's codec without re-encoding.");
        properties["bitrate"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Pattern = "^[0-9]+(\\.[0-9]+)?[kK]?$", Examples = [JsonValue.Create("192k")],
            Description = "Constant bitrate such as `192k`, checked against the codec (mp3: the MPEG set up to 320k; aac 16–512k; opus 6–510k; ogg 45–500k; none for lossless).",
        };
        properties["quality"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Number, Format = "double", Description = "VBR quality: mp3 0 (best) … 9, ogg −1 … 10 (best).",
        };
        properties["sampleRate"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String, Examples = [JsonValue.Create("44100"), JsonValue.Create("48k")],
            Description = "Sample rate such as `44100` or `48k`, checked against the encoder (opus: 8/12/16/24/48 kHz).",
        };
        properties["channels"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Format = "int32", Enum = [JsonValue.Create(1), JsonValue.Create(2)], Description = "1 (mono) or 2 (stereo).",
        };
        properties["track"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Description = "Which audio track, numbered as the probe lists them.",
        };
        properties["language"] = Describe.String("Pick the audio track in this ISO 639 language (e.g. `eng`).");
        properties["allTracks"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Convert every audio track (one result each). Default false." };
        properties["start"] = Describe.String("Trim: start at seconds, `MM:SS` or `HH:MM:SS.fff`.");
        properties["end"] = Describe.String("Trim: end at seconds, `MM:SS` or `HH:MM:SS.fff` (after start).");
        properties["normalize"] = Describe.Enum(LoudnessTarget.All.Select(t => t.Name),
            "Two-pass EBU R128 loudness normalisation: podcast (−16 LUFS), streaming (−14), broadcast (−23); true peak −1 dBTP.");
        properties["tags"] = multipart
            ? new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = Describe.String("`key=value`"),
                Description = "Tags to set, one `key=value` field per tag (repeat the field).",
            }
            : new OpenApiSchema
            {
                Type = JsonSchemaType.Object, AdditionalProperties = Describe.String(),
                Description = "Tags to set, as an object of strings.",
            };
        properties["keepTags"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Keep the input's tags and chapters. Default true." };
        AddOutputs(properties);
        AddSplitAndSilence(properties);
        AddJoin(properties);
        AddCover(properties, multipart);
        properties["webhookUrl"] = Describe.String("Called with a signed POST when the job finishes (see `GET /api/v1/me` for the secret).", "uri");
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = multipart
                ? "A job from a file sent in this request. Unknown fields are refused (400, `invalid-request`)."
                : "A job from a finished resumable upload (`uploadId`), several to join (`uploadIds`) or an earlier job's input (`fromJob`): "
                    + "exactly one of the three. Unknown fields are refused (400, `invalid-request`).",
            Required = multipart ? new HashSet<string> { "file" } : null,
            Properties = properties,
            AdditionalPropertiesAllowed = false,
        };
    }
}
