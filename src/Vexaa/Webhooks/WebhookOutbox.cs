using System.Text.Json;
using Dapper;
using Vexaa.Data;

namespace Vexaa.Webhooks;

/// <summary>What a webhook announces: a job that reached a final state, as its owner's endpoint is told about it.</summary>
public sealed record WebhookNotice(string JobId, string UserId, string Url, string State, string? ErrorCode, string? ErrorMessage, long OccurredAtMs)
{
    /// <summary>A succeeded job's files as the owner's endpoint sees them (names, formats, durations, loudness), in job order.</summary>
    public IReadOnlyList<object>? Results { get; init; }
}

/// <summary>
/// Records that a finished job's webhook is owed. The delivery row is written to the database, so a delivery survives
/// restarts and is retried by whichever process's dispatcher claims it.
/// </summary>
public sealed class WebhookOutbox(Database database, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task EnqueueAsync(WebhookNotice notice, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Serialize(new
        {
            type = "job." + notice.State,
            job = new
            {
                id = notice.JobId,
                status = notice.State,
                error = notice.ErrorCode is null ? null : new { code = notice.ErrorCode, message = notice.ErrorMessage },
                results = notice.Results,
            },
            occurredAt = UnixTime.FromMs(notice.OccurredAtMs),
        }, Json);
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO webhook_deliveries (id, job_id, user_id, url, payload, next_attempt_at, state, created_at) VALUES (@id, @jobId, @userId, @url, @payload, @now, 'pending', @now)",
            new { id = Ids.New(), jobId = notice.JobId, userId = notice.UserId, url = notice.Url, payload, now });
    }
}
