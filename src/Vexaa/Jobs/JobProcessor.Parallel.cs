using Vexaa.Media;

namespace Vexaa.Jobs;

// Segment-parallel encoding on a server: a long MP3 may use the cores other jobs are not using, but never while
// another job waits for a worker (that job would wait for this one's extra encoders).
public sealed partial class JobProcessor
{
    private int _running;

    /// <summary>How many encoders this job's extraction may run at once: the idle cores' share, or 1 when anything is queued.</summary>
    private async Task<int> ParallelismAsync(ExtractionOptions extraction, CancellationToken cancellationToken)
    {
        // Only what SegmentPlanner could cut into segments needs to ask the database.
        if (!SegmentPlanner.MayApply(extraction))
        {
            return 1;
        }

        var share = Environment.ProcessorCount / Math.Max(1, Volatile.Read(ref _running));
        if (share < 2)
        {
            return 1;
        }

        var counts = await queue.CountByStateAsync(cancellationToken);
        return counts.GetValueOrDefault(JobState.Queued) > 0 ? 1 : Math.Min(share, 4);
    }
}
