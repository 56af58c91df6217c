using System.Text.Json;
using Dapper;
using Vexaa.Data;
using Vexaa.Jobs;

namespace Vexaa.Webhooks;

/// <summary>
/// Records that a finished job's webhook is owed. The delivery row is written to the database, so a delivery survives
/// restarts and is retried by whichever process's dispatcher claims it.
/// </summary>
public sealed class WebhookOutbox(Database database, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task EnqueueAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var job = await connection.QuerySingleOrDefaultAsync<Job>("SELECT * FROM jobs WHERE id = @jobId", new { jobId });
        if (job?.WebhookUrl is null)
        {
            return;
        }

        var payload = JsonSerializer.Serialize(new
        {
            type = "job." + job.State,
            job = new { id = job.Id, status = job.State, error = job.ErrorCode is null ? null : new { code = job.ErrorCode, message = job.ErrorMessage } },
            occurredAt = Clock.FromMs(job.UpdatedAt),
        }, Json);
        var now = time.NowMs();
        await connection.ExecuteAsync(
            "INSERT INTO webhook_deliveries (id, job_id, user_id, url, payload, next_attempt_at, state, created_at) VALUES (@id, @jobId, @userId, @url, @payload, @now, 'pending', @now)",
            new { id = Ids.New(), jobId = job.Id, userId = job.UserId, url = job.WebhookUrl, payload, now });
    }
}
