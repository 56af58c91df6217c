using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

// Where the input comes from in JSON (one upload, several to join, or an earlier job), and how a join's parts meet.
internal static partial class JobForms
{
    private static void AddSources(Dictionary<string, IOpenApiSchema> properties, bool multipart)
    {
        if (multipart)
        {
            properties["file"] = Describe.Binary("The video (or audio) to convert; its file name names the results. Repeat the part to join "
                + "several files, in the order sent, into one output with a chapter at each join (at most `Vexaa:Limits:MaxInputsPerJob`, 20 by default; "
                + "together within the upload limit).");
            return;
        }

        properties["uploadId"] = Describe.String("The id of a finished tus upload (the last part of its Location). It is used up by the job.");
        properties["uploadIds"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array, Items = Describe.String(), MinItems = 2, UniqueItems = true,
            Description = "Join: the ids of finished uploads, in order, into one output with a chapter at each join (titled from each input's "
                + "title tag or name). All are checked before any is used up. Instead of `uploadId`.",
        };
        properties["fromJob"] = Describe.String("Convert again: the id of one of your finished or failed jobs whose input is still stored "
            + "(`input.stored`); its input (all of them, for a join) is copied, so no upload is needed. Instead of `uploadId`.");
    }

    private static void AddJoin(Dictionary<string, IOpenApiSchema> properties)
    {
        properties["gap"] = Describe.String("Join: seconds of silence between the parts (seconds, `MM:SS` or `HH:MM:SS.fff`). Not with `crossfade`.");
        properties["crossfade"] = Describe.String("Join: adjacent parts overlap by this long, one fading into the next; shorter than every part "
            + "(else 422 `crossfade-too-long`). Loudness is matched across the parts (to the `normalize` target when given).");
    }
}
