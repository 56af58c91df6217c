using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Vexaa.Jobs;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Jobs;

/// <summary>
/// GET /api/v1/jobs/{id}/events: first a <c>state</c> event with the whole job, then <c>progress</c> events while it runs and a
/// <c>state</c> event at every change of state; the stream ends once the job has finished. Progress from this process
/// arrives at once, and so does another process's when Redis relays it; otherwise changes are read from the database
/// every Vexaa:Events:PollSeconds.
/// </summary>
internal static class JobEventStream
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task<IResult> StreamAsync(
        string id, HttpContext context, UserJobs userJobs, JobEvents events, TimeProvider time, Microsoft.Extensions.Options.IOptions<EventsOptions> options)
    {
        var userId = context.User.UserId();
        if (await userJobs.GetAsync(userId, id, context.RequestAborted) is null)
        {
            return Problems.NotFound();
        }

        context.Response.Headers["X-Accel-Buffering"] = "no";
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        return TypedResults.ServerSentEvents(ReadAsync(userId, id, userJobs, events, time, poll, StreamLifetime.For(context)));
    }

    private static async IAsyncEnumerable<SseItem<object>> ReadAsync(
        string userId, string id, UserJobs userJobs, JobEvents events, TimeProvider time, TimeSpan poll, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading the job, so nothing that happens in between is missed.
        using var subscription = events.Watch(id);
        var job = await userJobs.GetAsync(userId, id, cancellationToken);
        if (job is null)
        {
            yield break;
        }

        yield return new SseItem<object>(JobDto.From(job), "state");
        var lastState = job.State;
        var lastUpdate = job.UpdatedAt;
        var lastSent = time.GetTimestamp();
        while (!JobState.IsFinished(lastState) && !cancellationToken.IsCancellationRequested)
        {
            var change = await NextAsync(subscription, poll, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (change is { State: JobState.Running } && lastState == JobState.Running)
            {
                lastSent = time.GetTimestamp();
                yield return new SseItem<object>(new { status = change.State, progress = Math.Round(change.Progress, 4), etaSeconds = change.EtaMs / 1000.0 }, "progress");
                continue;
            }

            var current = await userJobs.GetAsync(userId, id, cancellationToken);
            if (current is null)
            {
                yield return new SseItem<object>(new { status = "deleted" }, "deleted");
                yield break;
            }

            if (current.State != lastState || (change is null && current.UpdatedAt != lastUpdate))
            {
                var kind = current.State != lastState ? "state" : "progress";
                (lastState, lastUpdate, lastSent) = (current.State, current.UpdatedAt, time.GetTimestamp());
                yield return kind == "state"
                    ? new SseItem<object>(JobDto.From(current), "state")
                    : new SseItem<object>(new { status = current.State, progress = current.Progress, etaSeconds = current.EtaMs / 1000.0 }, "progress");
            }
            else if (time.GetElapsedTime(lastSent) > Heartbeat)
            {
                // Keeps proxies from closing a quiet stream while a job waits in the queue.
                lastSent = time.GetTimestamp();
                yield return new SseItem<object>(new { status = current.State }, "ping");
            }
        }
    }

    private static async Task<JobEvent?> NextAsync(JobEvents.Subscription subscription, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(poll);
        try
        {
            JobEvent? latest = null;
            if (await subscription.Reader.WaitToReadAsync(wait.Token))
            {
                // Several queued progress events: only the newest matters.
                while (subscription.Reader.TryRead(out var item))
                {
                    latest = item;
                    if (item.State != JobState.Running)
                    {
                        break;
                    }
                }
            }

            return latest;
        }
        catch (OperationCanceledException)
        {
            // Quiet for a poll interval, or the stream is ending (the caller checks which).
            return null;
        }
    }
}
