using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

// Cover art: the cover field, and in a form the picture itself.
internal static partial class JobForms
{
    private static void AddCover(Dictionary<string, IOpenApiSchema> properties, bool multipart)
    {
        properties["cover"] = Describe.String(
            "Cover art in every result (mp3, m4a, alac, flac, opus, ogg; wav and aac refuse it): `auto` (a representative, non-black frame "
            + "of the video), a time of the video (`0:12`, `12.5`), or, in a form, `image` (or leave it out) with a `coverImage` part. "
            + "Always a square JPEG of at most 600×600. Errors: `cover-time-past-end`, `no-video-for-cover`, `cover-not-an-image`.");
        if (multipart)
        {
            properties["coverImage"] = Describe.Binary(
                $"A JPEG or PNG for the cover art (at most {Jobs.JobSubmission.MaxCoverImageBytes / (1024 * 1024)} MiB); checked and re-encoded, centre-cropped to a square.");
        }
        else
        {
            properties["coverImage"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String, Format = "byte",
                Description = $"A JPEG or PNG for the cover art, in base64 (at most {Jobs.JobSubmission.MaxJsonCoverImageBytes / 1024} KiB decoded, within the 1 MiB JSON body): "
                    + "the web page sends a frame it took from the video this way, so the video itself need not be uploaded. Checked and re-encoded like a form's.",
            };
        }
    }
}
