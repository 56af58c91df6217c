using Microsoft.Extensions.Logging;
using Vexaa.Storage;
using Vexaa.Data;

namespace Vexaa.Jobs;

/// <summary>
/// Deletes stored files whose job or upload row does not exist. An input or an upload's chunk is stored before its row is
/// written, and a row is deleted before its files; a process that dies in between (or a storage delete that fails) leaves
/// files that no row points at and that nothing else would ever remove.
/// </summary>
public sealed class OrphanSweep(Database database, IFileStore store, TimeProvider time, ILogger<OrphanSweep> logger)
{
    /// <summary>
    /// A row follows its input within milliseconds; an hour leaves room for any stall between the two, so a submission
    /// still in progress is never mistaken for an orphan.
    /// </summary>
    internal TimeSpan MinimumAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Job ids looked up per query; tests lower it to cross batch boundaries with few objects.</summary>
    internal int BatchSize { get; init; } = 500;

    /// <summary>Returns how many jobs' and uploads' folders were removed.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        await SweepAsync("jobs", cancellationToken) + await SweepAsync("uploads", cancellationToken);

    /// <summary>Sweeps the storage folder that holds the files of the rows of the table with the same name.</summary>
    private async Task<int> SweepAsync(string folder, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - MinimumAge;
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var removed = 0;
        await foreach (var stored in store.ListAsync(folder + "/", cancellationToken))
        {
            if (stored.LastModified < cutoff && OwnerOf(stored.Key, folder) is { } id && candidates.Add(id) && candidates.Count == BatchSize)
            {
                removed += await DeleteUnknownAsync(folder, candidates, cancellationToken);
                candidates.Clear();
            }
        }

        return removed + await DeleteUnknownAsync(folder, candidates, cancellationToken);
    }

    /// <summary>The id in <c>{folder}/{id}/...</c>, or null for a key that is not laid out that way.</summary>
    private static string? OwnerOf(string key, string folder)
    {
        var parts = key.Split('/');
        return parts.Length >= 3 && parts[0] == folder && Ids.IsValid(parts[1]) ? parts[1] : null;
    }

    private async Task<int> DeleteUnknownAsync(string folder, HashSet<string> ids, CancellationToken cancellationToken)
    {
        var known = await database.KnownIdsAsync(folder, ids, cancellationToken);
        var removed = 0;
        foreach (var id in ids.Where(id => !known.Contains(id)))
        {
            await store.DeletePrefixAsync($"{folder}/{id}/", cancellationToken);
            logger.LogWarning("Removed the stored files under {Folder}/{Id}, which has no record (left by a crash or a failed delete)", folder, id);
            removed++;
        }

        return removed;
    }
}
