using Microsoft.AspNetCore.Http.Metadata;
using Vexaa.Jobs;

namespace Vexaa.Server.Jobs;

/// <summary>
/// <c>Prefer: wait=N</c> (RFC 7240) on POST /api/v1/jobs: hold the answer until the job has finished, at most N seconds
/// (and at most <see cref="MaxSeconds"/>), so a short conversion is one request: <c>curl -L -H 'Prefer: wait=30' -F file=@clip.mp4</c>.
/// A success answers 303 See Other to its result (a zip when it made several files), a failure answers the job's error as
/// ProblemDetails (422, the job's code, its id), and a job still running when the time is up answers 202 as without the header.
/// </summary>
internal static class PreferWait
{
    /// <summary>Longer than this and a proxy in between may give up on the connection; the events stream is for long jobs.</summary>
    public const int MaxSeconds = 60;

    /// <summary>The wait asked for, capped; null when none was (or <c>respond-async</c> was, or 0), or the value is not a number of seconds.</summary>
    public static TimeSpan? Requested(HttpRequest request)
    {
        TimeSpan? wait = null;
        foreach (var preference in request.Headers["Prefer"].SelectMany(v => (v ?? "").Split(',')))
        {
            // A preference is token[=value] followed by ;parameters, which this one does not have.
            var token = preference.Split(';')[0].Trim();
            if (token.Equals("respond-async", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (token.StartsWith("wait=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(token.AsSpan(5).Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                wait = seconds > 0 ? TimeSpan.FromSeconds(Math.Min(seconds, MaxSeconds)) : null;
            }
        }

        return wait;
    }

    /// <summary>The job once it has finished, or its latest state when the wait is over first.</summary>
    public static async Task<Job> UntilFinishedAsync(Job job, TimeSpan wait, UserJobs userJobs, JobEvents events, TimeProvider time, TimeSpan poll, CancellationToken cancellationToken)
    {
        // Watch before reading, so a change in between is not missed; another process's worker is seen by polling.
        using var subscription = events.Watch(job.Id);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        var pump = new JobStreamPump(subscription, time, poll);
        var current = job;
        try
        {
            while (true)
            {
                current = await userJobs.GetAsync(job.UserId, job.Id, deadline.Token) ?? current;
                if (JobState.IsFinished(current.State))
                {
                    return current;
                }

                // Progress says nothing about finishing: wait for a change of state (or the next poll).
                JobEvent? change;
                do
                {
                    change = await pump.NextAsync(deadline.Token);
                }
                while (change is { State: JobState.Running } && !deadline.IsCancellationRequested);

                deadline.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return current;
        }
    }

    /// <summary>What to answer for the job as it is after the wait.</summary>
    public static Results<Accepted<JobDto>, SeeOther, ProblemHttpResult> Answer(HttpContext context, Job job, TimeSpan wait)
    {
        var self = $"/api/v1/jobs/{job.Id}";
        if (!JobState.IsFinished(job.State))
        {
            return TypedResults.Accepted(self, JobDto.From(job));
        }

        context.Response.Headers["Preference-Applied"] = $"wait={(int)wait.TotalSeconds}";
        if (job.State == JobState.Succeeded)
        {
            var results = job.ResultsJson is { } json ? JobColumns.Results(json).Count : 0;
            return new SeeOther(results > 1 ? $"/api/v1/jobs/archive?ids={job.Id}" : $"{self}/result", JobDto.From(job));
        }

        return job.State == JobState.Failed
            ? Problems.Of(422, job.ErrorCode ?? "job-failed", job.ErrorMessage ?? "The job failed.", new Dictionary<string, object?> { ["jobId"] = job.Id, ["job"] = self })
            : Problems.Of(409, "conflict", "The job was canceled before it finished.", new Dictionary<string, object?> { ["jobId"] = job.Id, ["job"] = self });
    }
}

/// <summary>303 See Other to where the job's result is, with the finished job as the body for a client that does not follow.</summary>
internal sealed class SeeOther(string location, JobDto job) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<JobDto>, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status303SeeOther;

    public JobDto Value => job;

    object? IValueHttpResult.Value => job;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = location;
        return httpContext.Response.WriteAsJsonAsync(job, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status303SeeOther, typeof(JobDto), ["application/json"]));
}
