using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Data;

namespace Vexaa.Webhooks;

/// <summary>
/// Delivers owed webhooks: claims a due delivery with a short lease (so two processes never send the same one at once),
/// POSTs the JSON signed with the owner's secret, and retries failures with exponential backoff and jitter.
/// Signature header: <c>Vexaa-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>.
/// </summary>
public sealed class WebhookDispatcher(Database database, IOptions<WebhooksOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var client = new HttpClient(WebhookAddressGuard.CreateHandler(settings.AllowPrivateNetworks))
        {
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("VExAA-Webhooks/1.0");
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await DeliverNextAsync(client, stoppingToken))
                {
                    await Task.Delay(Idle, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Webhook dispatch failed; trying again shortly");
                await Task.Delay(Idle, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    internal async Task<bool> DeliverNextAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.NowMs();
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await Claims.ClaimAsync(connection, database.Dialect, "webhook_deliveries",
            """
            SELECT id FROM webhook_deliveries
            WHERE state = 'pending' AND next_attempt_at <= @now AND (lease_expires_at IS NULL OR lease_expires_at < @now)
            ORDER BY next_attempt_at LIMIT 1
            """,
            "lease_expires_at = @lease, attempts = attempts + 1",
            new { now, lease = now + (long)(settings.TimeoutSeconds * 2000) });
        if (id is null)
        {
            return false;
        }

        var delivery = await connection.QuerySingleAsync<Delivery>(
            "SELECT id AS Id, url AS Url, payload AS Payload, attempts AS Attempts, user_id AS UserId FROM webhook_deliveries WHERE id = @id", new { id });

        var secret = await connection.ExecuteScalarAsync<string>("SELECT webhook_secret FROM users WHERE id = @UserId", delivery);
        string? error;
        var permanent = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            request.Headers.Add("Vexaa-Signature", $"t={timestamp},v1={Sign(secret ?? "", timestamp, delivery.Payload)}");
            request.Headers.Add("Vexaa-Delivery", delivery.Id);
            using var response = await client.SendAsync(request, cancellationToken);
            error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookRefusedException refused)
        {
            (error, permanent) = (refused.Message, true);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            error = e.Message;
        }

        var done = error is null;
        var giveUp = !done && (permanent || delivery.Attempts >= settings.MaxAttempts);
        var delay = settings.RetryBaseSeconds * Math.Pow(2, delivery.Attempts - 1) * (0.5 + Random.Shared.NextDouble() / 2);
        await connection.ExecuteAsync(
            "UPDATE webhook_deliveries SET state = @state, last_error = @error, lease_expires_at = NULL, next_attempt_at = @next WHERE id = @Id",
            new { state = done ? "delivered" : giveUp ? "failed" : "pending", error, next = time.NowMs() + (long)(delay * 1000), delivery.Id });
        if (!done)
        {
            logger.LogWarning("Webhook {DeliveryId} attempt {Attempt} failed: {Error}{GiveUp}", delivery.Id, delivery.Attempts, error, giveUp ? " (giving up)" : "");
        }

        return true;
    }

    /// <summary>The v1 signature: hex HMAC-SHA256 over "timestamp.body" with the user's webhook secret.</summary>
    public static string Sign(string secret, string timestamp, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + payload)));

    private sealed record Delivery
    {
        public required string Id { get; init; }
        public required string Url { get; init; }
        public required string Payload { get; init; }
        public int Attempts { get; init; }
        public required string UserId { get; init; }
    }
}
