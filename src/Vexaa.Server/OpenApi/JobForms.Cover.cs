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
    }
}
