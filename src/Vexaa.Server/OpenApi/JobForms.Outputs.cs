using Microsoft.OpenApi;
using Vexaa.Media;

namespace Vexaa.Server.OpenApi;

// The fields for several formats at once and for an archival package (the same names in the form and in JSON).
internal static partial class JobForms
{
    private static void AddOutputs(Dictionary<string, IOpenApiSchema> properties)
    {
        // bitrate and sampleRate also take per-format values, "mp3=128k,opus=96k".
        var bitrate = (OpenApiSchema)properties["bitrate"];
        bitrate.Pattern = "^([a-z0-9]+=)?[0-9]+(\\.[0-9]+)?[kK]?(, *([a-z0-9]+=)?[0-9]+(\\.[0-9]+)?[kK]?)*$";
        bitrate.Description += " With `formats`, per format: `mp3=128k,opus=96k`.";
        var sampleRate = (OpenApiSchema)properties["sampleRate"];
        sampleRate.Description += " With `formats`, per format: `mp3=44100`.";
        properties["formats"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = Describe.Enum(AudioFormats.All.Select(f => f.Name)),
            MinItems = 1,
            UniqueItems = true,
            Description = "Several formats from one decode, e.g. `[\"flac\", \"mp3\"]` (in a form, repeat the field or separate by commas); "
                + "one result per format, named by extension. Instead of `format`. Per-format settings go in `bitrate` / `sampleRate` as "
                + "`mp3=128k,opus=96k` (a plain value applies to every format). The files (tracks × formats × parts) count against "
                + "`Vexaa:Limits:MaxOutputsPerJob` (422 `too-many-outputs` at submission).",
        };
        properties["package"] = Describe.Enum([Jobs.JobRequestFields.BagIt],
            "`bagit`: the results are also packed as a BagIt 1.0 bag (RFC 8493: `data/`, SHA-256 and SHA-512 manifests, `bag-info.txt` "
            + "with the source's name, size and SHA-256 and the ffmpeg command lines), stored as one more result (`format` `bagit`, a zip); "
            + "`GET /api/v1/jobs/archive?ids=ID` then downloads that zip. Check it with `vexaa verify`.");
    }
}
