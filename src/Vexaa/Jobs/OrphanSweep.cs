using Microsoft.Extensions.Logging;
using Vexaa.Storage;

namespace Vexaa.Jobs;

/// <summary>
/// Deletes stored files whose job row does not exist. An input is stored before its row is written, and a row is deleted
/// before its files; a process that dies in between (or a storage delete that fails) leaves files that no row points at
/// and that nothing else would ever remove.
/// </summary>
public sealed class OrphanSweep(JobQueue queue, IFileStore store, TimeProvider time, ILogger<OrphanSweep> logger)
{
    /// <summary>
    /// A row follows its input within milliseconds; an hour leaves room for any stall between the two, so a submission
    /// still in progress is never mistaken for an orphan.
    /// </summary>
    internal TimeSpan MinimumAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Job ids looked up per query; tests lower it to cross batch boundaries with few objects.</summary>
    internal int BatchSize { get; init; } = 500;

    /// <summary>Returns how many jobs' folders were removed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - MinimumAge;
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var removed = 0;
        await foreach (var stored in store.ListAsync("jobs/", cancellationToken))
        {
            if (stored.LastModified < cutoff && JobFiles.JobIdOf(stored.Key) is { } id && candidates.Add(id) && candidates.Count == BatchSize)
            {
                removed += await DeleteUnknownAsync(candidates, cancellationToken);
                candidates.Clear();
            }
        }

        return removed + await DeleteUnknownAsync(candidates, cancellationToken);
    }

    private async Task<int> DeleteUnknownAsync(HashSet<string> ids, CancellationToken cancellationToken)
    {
        var known = await queue.KnownIdsAsync(ids, cancellationToken);
        var removed = 0;
        foreach (var id in ids.Where(id => !known.Contains(id)))
        {
            await store.DeletePrefixAsync(JobFiles.Prefix(id), cancellationToken);
            logger.LogWarning("Removed the stored files of job {JobId}, which has no record (left by a crash or a failed delete)", id);
            removed++;
        }

        return removed;
    }
}
