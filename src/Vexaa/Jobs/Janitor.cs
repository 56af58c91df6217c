using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Storage;
using Vexaa.Uploads;

namespace Vexaa.Jobs;

/// <summary>
/// Keeps storage to what retention allows: removes expired jobs with their files, expired unfinished uploads,
/// work folders left by crashed processes, and fails jobs whose workers died on every attempt.
/// </summary>
public sealed class Janitor(
    JobQueue queue,
    UploadStore uploads,
    IFileStore store,
    OrphanSweep orphans,
    JobEvents events,
    IOptions<DataOptions> data,
    IOptions<RetentionOptions> retention,
    TimeProvider time,
    ILogger<Janitor> logger) : BackgroundService
{
    /// <summary>Long enough that no write still in progress is mistaken for an abandoned one.</summary>
    internal static readonly TimeSpan IncompleteWriteAge = TimeSpan.FromDays(1);
    private static readonly TimeSpan StorageSweepInterval = TimeSpan.FromHours(1);
    private DateTimeOffset _nextStorageSweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(retention.Value.JanitorSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Janitor sweep failed; trying again later");
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await queue.FailAbandonedAsync(TimeSpan.FromHours(retention.Value.FailedInputHours), cancellationToken))
        {
            logger.LogWarning("Job {JobId} failed for good: its worker died on every attempt", id);
            events.Publish(new JobEvent(id, "", JobState.Failed, 0, null));
        }

        foreach (var id in await queue.LeftoverInputsAsync(TimeSpan.FromMinutes(1), cancellationToken))
        {
            await JobFiles.DeleteInputsAsync(store, id, cancellationToken);
            await queue.ClearInputAsync(id, cancellationToken);
            logger.LogInformation("Job {JobId}: deleted an input its worker did not get to", id);
        }

        foreach (var id in await queue.ExpiredAsync(500, cancellationToken))
        {
            await store.DeletePrefixAsync(JobFiles.Prefix(id), cancellationToken);
            await queue.DeleteRowAsync(id, cancellationToken);
            logger.LogInformation("Job {JobId} expired and was removed with its files", id);
        }

        await uploads.DeleteExpiredAsync(cancellationToken);
        await DeleteStaleScratchAsync(cancellationToken);
        DeleteStaleUploadScratch();
        await SweepStorageAsync(cancellationToken);
    }

    /// <summary>Hourly at most: these walk the whole store (S3 list requests), which each sweep would pay for nothing.</summary>
    private async Task SweepStorageAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() < _nextStorageSweep)
        {
            return;
        }

        _nextStorageSweep = time.GetUtcNow() + StorageSweepInterval;
        var removed = await store.DeleteIncompleteAsync(IncompleteWriteAge, cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} unfinished write(s) left in storage by interrupted uploads", removed);
        }

        await orphans.RunAsync(cancellationToken);
    }

    /// <summary>
    /// A chunk being received is written to continuously (Kestrel ends a request whose body stalls), so a scratch file or
    /// probe copy untouched for an hour was left by a process that died while receiving or probing it.
    /// </summary>
    private void DeleteStaleUploadScratch()
    {
        // Before uploads were kept in the file store, they were files in <data>/uploads; migration 0004 dropped their rows.
        var legacy = Path.Combine(data.Value.FullPath, "uploads");
        if (Directory.Exists(legacy))
        {
            Directory.Delete(legacy, recursive: true);
            logger.LogInformation("Removed {Folder}, where uploads in progress were kept before they moved to the file store", legacy);
        }

        var root = new DirectoryInfo(uploads.ScratchDirectory);
        if (!root.Exists)
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
        foreach (var entry in root.EnumerateFileSystemInfos())
        {
            if (entry.LastWriteTimeUtc >= cutoff)
            {
                continue;
            }

            try
            {
                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }

                logger.LogInformation("Removed {Name}, left in the upload scratch folder by a request that never finished", entry.Name);
            }
            catch (IOException)
            {
                // Removed by its own request meanwhile.
            }
        }
    }

    /// <summary>
    /// A work folder is named after the job and the lease token it was made under. Once that token is no longer the job's
    /// live lease (the job ended, or its worker died and another took over), nobody will ever use the folder again.
    /// </summary>
    private async Task DeleteStaleScratchAsync(CancellationToken cancellationToken)
    {
        var root = data.Value.Scratch("jobs");
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var dir in Directory.GetDirectories(root))
        {
            var name = Path.GetFileName(dir).Split('-');
            var live = name.Length == 2 && long.TryParse(name[1], System.Globalization.CultureInfo.InvariantCulture, out var token)
                && await queue.GetAnyAsync(name[0], cancellationToken) is { State: JobState.Running } job && job.LeaseToken == token;
            if (!live)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                    logger.LogInformation("Removed the work folder {Folder} left by an attempt that ended", Path.GetFileName(dir));
                }
                catch (DirectoryNotFoundException)
                {
                    // Its worker removed it first.
                }
            }
        }
    }
}
