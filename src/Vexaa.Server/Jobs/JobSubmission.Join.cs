using Vexaa.Jobs;
using Vexaa.Uploads;

namespace Vexaa.Server.Jobs;

// A join from resumable uploads: "uploadIds": [first, second, ...], in order. Every upload is looked up before any is
// taken, so a request naming one that is missing or unfinished is refused with all of them still there.
internal static partial class JobSubmission
{
    private static async Task<Refusable<Received>> TakeUploadsAsync(
        CheckedRequest request, IReadOnlyList<string> ids, string userId, string jobId, UploadStore uploads, int maxInputs, CancellationToken cancellationToken)
    {
        request.Options.CheckInputs(ids.Count, request.Extraction, maxInputs);
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            return Problems.InvalidOption("Field 'uploadIds' names the same upload twice; each upload is used once (upload the file again to use it twice).");
        }

        foreach (var id in ids)
        {
            if (await uploads.GetAsync(userId, id, cancellationToken) is not { CompletedAt: not null })
            {
                return UploadNotFound(id);
            }
        }

        Received? first = null;
        var parts = new List<JobInputPart>();
        for (var i = 0; i < ids.Count; i++)
        {
            var taken = await uploads.TakeAsInputAsync(userId, ids[i], i == 0 ? JobFiles.InputKey(jobId) : JobFiles.PartKey(jobId, i), cancellationToken);
            if (taken is null)
            {
                // Taken by a request that raced this one; what this one took is deleted with the job's folder.
                return UploadNotFound(ids[i]);
            }

            if (i == 0)
            {
                first = new Received(request, taken.FileName, taken.Size, taken.Sha256);
            }
            else
            {
                parts.Add(new JobInputPart(taken.FileName, taken.Size, taken.Sha256));
            }
        }

        return first! with { Parts = parts };
    }

    private static ProblemHttpResult UploadNotFound(string id) =>
        Problems.Of(404, "input-not-found", $"There is no finished upload '{id}' (it may be unfinished, expired, or already used).");
}
