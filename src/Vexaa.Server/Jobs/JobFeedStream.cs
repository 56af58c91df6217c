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
        var pump = new JobStreamPump(subscription, time, poll);
        var seen = new Dictionary<string, (string State, long UpdatedAt)>(StringComparer.Ordinal);
        var since = time.NowMs() - OverlapMs;
        yield return pump.Send(new SseItem<object>(new { status = "connected" }, "ping"));
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = await pump.NextAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (change is { State: JobState.Running } && seen.TryGetValue(change.JobId, out var known) && known.State == JobState.Running)
            {
                yield return pump.Progress(change.JobId, change.State, change.Progress, change.EtaMs, change.Phase);
                continue;
            }

            if (change is { State: JobEvents.Deleted })
            {
                seen.Remove(change.JobId);
                yield return pump.Send(new SseItem<object>(new { id = change.JobId, status = JobEvents.Deleted }, "deleted"));
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
                yield return stateChanged ? pump.Send(new SseItem<object>(JobDto.From(job), "state")) : pump.Progress(job.Id, job.State, job.Progress, job.EtaMs, job.Phase);
            }

            if (!sent && pump.Quiet)
            {
                yield return pump.Send(new SseItem<object>(new { status = "quiet" }, "ping"));
            }
        }
    }
}
