using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Vexaa.Jobs;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Jobs;

/// <summary>
/// GET /api/v1/jobs/events: one stream for all of the caller's jobs. A <c>state</c> event (the whole job) whenever a job
/// appears or changes state, <c>progress</c> events (with the job's id) while one runs, <c>deleted</c> when this server
/// deletes one, and a <c>ping</c> when quiet. One connection however many jobs there are: browsers open at most six
/// per server over HTTP/1.1, so a stream per job would starve a page with many jobs (and its uploads).
/// </summary>
internal static class JobFeedStream
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    // Changes written by other processes (or on another clock) within this window are looked at again; repeats are skipped.
    private const long OverlapMs = 5000;

    public static IResult Stream(HttpContext context, UserJobs userJobs, JobEvents events, TimeProvider time, IOptions<EventsOptions> options)
    {
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        return TypedResults.ServerSentEvents(ReadAsync(context.User.UserId(), userJobs, events, time, poll, StreamLifetime.For(context)));
    }

    private static async IAsyncEnumerable<SseItem<object>> ReadAsync(
        string userId, UserJobs userJobs, JobEvents events, TimeProvider time, TimeSpan poll, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = events.WatchUser(userId);
        var seen = new Dictionary<string, (string State, long UpdatedAt)>(StringComparer.Ordinal);
        var since = time.NowMs() - OverlapMs;
        var lastSent = time.GetTimestamp();
        yield return new SseItem<object>(new { status = "connected" }, "ping");
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = await NextAsync(subscription, poll, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (change is { State: JobState.Running } && seen.TryGetValue(change.JobId, out var known) && known.State == JobState.Running)
            {
                lastSent = time.GetTimestamp();
                yield return Progress(change.JobId, change.State, change.Progress, change.EtaMs);
                continue;
            }

            if (change is { State: JobEvents.Deleted })
            {
                seen.Remove(change.JobId);
                lastSent = time.GetTimestamp();
                yield return new SseItem<object>(new { id = change.JobId, status = JobEvents.Deleted }, "deleted");
                continue;
            }

            var sent = false;
            foreach (var job in await userJobs.ChangedSinceAsync(userId, since, cancellationToken))
            {
                since = Math.Max(since, job.UpdatedAt - OverlapMs);
                if (seen.TryGetValue(job.Id, out var before) && before.UpdatedAt == job.UpdatedAt)
                {
                    continue;
                }

                var stateChanged = before.State != job.State;
                seen[job.Id] = (job.State, job.UpdatedAt);
                sent = true;
                yield return stateChanged ? new SseItem<object>(JobDto.From(job), "state") : Progress(job.Id, job.State, job.Progress, job.EtaMs);
            }

            if (sent)
            {
                lastSent = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(lastSent) > Heartbeat)
            {
                // Keeps proxies from closing a quiet stream.
                lastSent = time.GetTimestamp();
                yield return new SseItem<object>(new { status = "quiet" }, "ping");
            }
        }
    }

    private static SseItem<object> Progress(string id, string status, double progress, long? etaMs) =>
        new(new { id, status, progress = Math.Round(progress, 4), etaSeconds = etaMs / 1000.0 }, "progress");

    private static async Task<JobEvent?> NextAsync(JobEvents.Subscription subscription, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(poll);
        try
        {
            return await subscription.Reader.WaitToReadAsync(wait.Token) && subscription.Reader.TryRead(out var item) ? item : null;
        }
        catch (OperationCanceledException)
        {
            // Quiet for a poll interval, or the stream is ending (the caller checks which).
            return null;
        }
    }
}
