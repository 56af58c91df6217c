using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Storage;

namespace Vexaa.Server.Jobs;

/// <summary>The multipart form: fields and a <c>file</c> part (several for a join, in order), the file streamed straight to storage and hashed on the way.</summary>
internal static partial class JobSubmission
{
    private const int MaxFieldBytes = 64 * 1024;

    // Boundaries, part headers, up to 32 fields at their largest and a cover image.
    private const long FormEnvelopeBytes = (MaxFieldBytes * 32L) + MaxCoverImageBytes;

    private static async Task<Refusable<Received>> ReadFormAsync(HttpContext context, string jobId, IFileStore store, LimitsOptions settings, CancellationToken cancellationToken)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxUploadBytes + FormEnvelopeBytes;
        }

        var boundary = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) ? HeaderUtilities.RemoveQuotes(contentType.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            return Problems.Of(400, "malformed-multipart", "The form could not be read: its Content-Type names no boundary (or one longer than the 70 characters RFC 2046 allows).");
        }

        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        var fields = new JobRequestFields();
        (string Name, long Size, string Sha256)? file = null;
        var parts = new List<JobInputPart>();
        var received = 0L;
        while (await NextSectionAsync(reader, cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
            {
                return Problems.InvalidOption("Every part of the form needs a Content-Disposition with a name.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            if (disposition.IsFileDisposition() && name == "coverImage")
            {
                if (fields.CoverImageSha256 is not null)
                {
                    return Problems.InvalidOption("Send one coverImage per job.");
                }

                var cover = await ReadCoverImageAsync(section, jobId, store, cancellationToken);
                if (cover.Value is null)
                {
                    return cover.Problem!;
                }

                fields.CoverImageSha256 = cover.Value;
            }
            else if (disposition.IsFileDisposition())
            {
                if (name != "file")
                {
                    return Problems.InvalidOption($"The file must be in the part named 'file', not '{name}'.");
                }

                // Several file parts are a join, in the order sent; together they are held to the upload limit.
                if ((file is null ? 0 : 1) + parts.Count >= settings.MaxInputsPerJob)
                {
                    return Problems.From(new MediaException(MediaError.TooManyInputs,
                        $"A join may take at most {settings.MaxInputsPerJob} files (Vexaa:Limits:MaxInputsPerJob); this form has more."));
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "upload";
                await using var hashing = new HashingStream(new FormPartStream(section.Body, cancellationToken), settings.MaxUploadBytes - received);
                await store.PutAsync(file is null ? JobFiles.InputKey(jobId) : JobFiles.PartKey(jobId, parts.Count + 1), hashing, cancellationToken);
                received += hashing.BytesRead;
                if (file is null)
                {
                    file = (fileName, hashing.BytesRead, hashing.Sha256());
                }
                else
                {
                    parts.Add(new JobInputPart(fileName, hashing.BytesRead, hashing.Sha256()));
                }
            }
            else
            {
                using var text = new StreamReader(new FormPartStream(section.Body, cancellationToken));
                var buffer = new char[MaxFieldBytes + 1];
                var read = await text.ReadBlockAsync(buffer, cancellationToken);
                if (read > MaxFieldBytes)
                {
                    return Problems.InvalidOption($"Field '{name}' is too long.");
                }

                fields.Add(name, new string(buffer, 0, read));
            }
        }

        if (file is not { } f)
        {
            return Problems.InvalidOption("The form has no 'file' part with the video to convert.");
        }

        // The fields may come before or after the file, so they are checked once the form is read; a refusal deletes the file.
        var checkedRequest = await fields.CheckAsync(cancellationToken);
        return checkedRequest.Value is { } request ? new Received(request, f.Name, f.Size, f.Sha256) { Parts = parts } : checkedRequest.Problem!;
    }

    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException e) when (FormPartStream.IsMalformed(e, cancellationToken))
        {
            throw FormPartStream.Malformed(e);
        }
    }
}
