using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
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
    public static async Task<IResult> StreamAsync(
        string id, HttpContext context, UserJobs userJobs, JobEvents events, TimeProvider time, IOptions<EventsOptions> options)
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

        var pump = new JobStreamPump(subscription, time, poll);
        yield return pump.Send(new SseItem<object>(JobDto.From(job), "state"));
        var lastState = job.State;
        var lastUpdate = job.UpdatedAt;
        while (!JobState.IsFinished(lastState) && !cancellationToken.IsCancellationRequested)
        {
            var change = await pump.NextAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (change is { State: JobState.Running } && lastState == JobState.Running)
            {
                yield return pump.Progress(null, change.State, change.Progress, change.EtaMs, change.Phase);
                continue;
            }

            var current = await userJobs.GetAsync(userId, id, cancellationToken);
            if (current is null)
            {
                yield return pump.Send(new SseItem<object>(new { status = "deleted" }, "deleted"));
                yield break;
            }

            if (current.State != lastState)
            {
                (lastState, lastUpdate) = (current.State, current.UpdatedAt);
                yield return pump.Send(new SseItem<object>(JobDto.From(current), "state"));
            }
            else if (change is null && current.UpdatedAt != lastUpdate)
            {
                // Progress written by a worker in another process, read from the database (no Redis to relay it).
                lastUpdate = current.UpdatedAt;
                yield return pump.Progress(null, current.State, current.Progress, current.EtaMs, current.Phase);
            }
            else if (pump.Quiet)
            {
                yield return pump.Send(new SseItem<object>(new { status = current.State }, "ping"));
            }
        }
    }
}
