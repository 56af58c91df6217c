using System.Net.ServerSentEvents;
using System.Text.Json;
using Vexaa.Server.Jobs;

namespace Vexaa.Cli.Submit;

/// <summary>
/// Follows a job through its event stream (<c>/api/v1/jobs/{id}/events</c>): progress as the worker reports it and the
/// finished job the moment it finishes, where polling would see it up to a poll interval late. Returns null when the
/// stream breaks or ends early (a proxy that cuts long answers, say), so the caller polls instead.
/// </summary>
internal static class JobEventsFollower
{
    private sealed record ProgressEvent(string? Status, double Progress);

    public static async Task<JobDto?> FollowAsync(ServerApi api, JobDto job, Action<string, double> progress, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"api/v1/jobs/{job.Id}/events"), cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
            {
                switch (item.EventType)
                {
                    case "state" when JsonSerializer.Deserialize<JobDto>(item.Data, CliOutput.Json) is { } state:
                        job = state;
                        if (Vexaa.Jobs.JobState.IsFinished(job.Status))
                        {
                            return job;
                        }

                        progress(job.Status, job.Progress);
                        break;
                    case "progress" when JsonSerializer.Deserialize<ProgressEvent>(item.Data, CliOutput.Json) is { Status: { } status } p:
                        progress(status, p.Progress);
                        break;
                    case "deleted":
                        return null;
                }
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or SubmitFailure && !cancellationToken.IsCancellationRequested)
        {
            // Polling reads the same job; a stream that fails is no reason to give up on it.
        }

        return null;
    }
}
