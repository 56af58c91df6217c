using System.Net.ServerSentEvents;
using Vexaa.Jobs;

namespace Vexaa.Server.Jobs;

/// <summary>
/// The pace both job event streams keep: wake at once when this process (or Redis) announces a change, otherwise every
/// Vexaa:Events:PollSeconds to look at the database, and send a ping when nothing was sent for a while.
/// </summary>
internal sealed class JobStreamPump(JobEvents.Subscription subscription, TimeProvider time, TimeSpan poll)
{
    // Keeps proxies (nginx, ingress controllers: often 60 s) from closing a quiet stream.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private long lastSent = time.GetTimestamp();

    /// <summary>True when nothing has been sent for the heartbeat interval.</summary>
    public bool Quiet => time.GetElapsedTime(lastSent) > Heartbeat;

    /// <summary>The next announced change, or null after a quiet poll interval or when the stream is ending.</summary>
    public async Task<JobEvent?> NextAsync(CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(poll);
        try
        {
            if (!await subscription.Reader.WaitToReadAsync(wait.Token) || !subscription.Reader.TryRead(out var latest))
            {
                return null;
            }

            // Queued progress of the same running job: only the newest matters. Anything else stays queued for the next call.
            while (latest.State == JobState.Running && subscription.Reader.TryPeek(out var next)
                   && next.State == JobState.Running && next.JobId == latest.JobId && subscription.Reader.TryRead(out next))
            {
                latest = next;
            }

            return latest;
        }
        catch (OperationCanceledException)
        {
            // Quiet for a poll interval, or the stream is ending (the caller checks which).
            return null;
        }
    }

    /// <summary>Notes that an item goes out now, and returns it.</summary>
    public SseItem<object> Send(SseItem<object> item)
    {
        lastSent = time.GetTimestamp();
        return item;
    }

    /// <summary>A <c>progress</c> event; <paramref name="id"/> is given on the stream of all jobs, where it says which.</summary>
    public SseItem<object> Progress(string? id, string status, double progress, long? etaMs, string? phase) => Send(id is null
        ? new(new { status, progress = Math.Round(progress, 4), etaSeconds = etaMs / 1000.0, phase }, "progress")
        : new(new { id, status, progress = Math.Round(progress, 4), etaSeconds = etaMs / 1000.0, phase }, "progress"));
}
