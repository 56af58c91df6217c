using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Vexaa.Redis;

namespace Vexaa.Jobs;

/// <summary>
/// Carries job events and wake-ups between processes over Redis pub/sub: a worker in one process reports progress, and
/// a client watching /events on another API process sees it at once; a job queued on any API process wakes idle
/// workers everywhere. Each process ignores its own messages. Without Redis, the database polling fallbacks apply.
/// </summary>
public sealed class JobEventRelay(RedisConnection redis, JobEvents events, ILogger<JobEventRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("vexaa:events");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _origin = Ids.New();

    private sealed record Message(string Origin, JobEvent? Event, bool Wake);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.ConnectAsync();
        if (redis.Multiplexer is not { } multiplexer)
        {
            return;
        }

        // Subscriptions are re-established by the multiplexer after a reconnect.
        await multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, value) => Receive(value));
        events.Published += change => Send(new Message(_origin, change, false));
        events.Queued += () => Send(new Message(_origin, null, true));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Send(Message message)
    {
        if (redis.Multiplexer is { IsConnected: true } multiplexer)
        {
            multiplexer.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(message, Json), CommandFlags.FireAndForget);
        }
    }

    private void Receive(RedisValue value)
    {
        try
        {
            var message = JsonSerializer.Deserialize<Message>((string)value!, Json);
            if (message is null || message.Origin == _origin)
            {
                return;
            }

            if (message.Wake)
            {
                events.Wake();
            }
            else if (message.Event is { } change)
            {
                events.Deliver(change);
            }
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "Ignored a malformed message on {Channel}", Channel);
        }
    }
}
