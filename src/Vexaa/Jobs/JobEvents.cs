using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vexaa.Jobs;

/// <summary>A change to a job that watchers care about: its state, and how far along it is.</summary>
public sealed record JobEvent(string JobId, string UserId, string State, double Progress, long? EtaMs);

/// <summary>
/// In-process fan-out of job events (for Server-Sent Events) and wake-ups (for idle workers). Each subscriber has a
/// small bounded channel that keeps only the newest events, so a slow client can never hold up a worker.
/// Another process's events reach watchers through the database, which the event stream also polls.
/// </summary>
public sealed class JobEvents
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> _watchers = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Raised for every event published in this process, so a relay can pass it on to other processes.</summary>
    public event Action<JobEvent>? Published;

    /// <summary>Raised when a job is queued in this process, so a relay can wake other processes' workers.</summary>
    public event Action? Queued;

    public void Publish(JobEvent change)
    {
        Deliver(change);
        Published?.Invoke(change);
    }

    /// <summary>Hands an event to this process's watchers only (used for events that came from another process).</summary>
    public void Deliver(JobEvent change)
    {
        if (_watchers.TryGetValue(change.JobId, out var channels))
        {
            foreach (var channel in channels.Keys)
            {
                channel.Writer.TryWrite(change);
            }
        }
    }

    /// <summary>Watches one job until the returned subscription is disposed.</summary>
    public Subscription Watch(string jobId)
    {
        var channel = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers.GetOrAdd(jobId, _ => new()).TryAdd(channel, 0);
        return new Subscription(channel.Reader, () =>
        {
            if (_watchers.TryGetValue(jobId, out var channels))
            {
                channels.TryRemove(channel, out _);
                if (channels.IsEmpty)
                {
                    _watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Channel<JobEvent>, byte>>(jobId, channels));
                }
            }
        });
    }

    /// <summary>Tells idle workers that a job is waiting.</summary>
    public void JobQueued()
    {
        Wake();
        Queued?.Invoke();
    }

    /// <summary>Wakes one idle worker of this process.</summary>
    public void Wake() => _wake.Release();

    /// <summary>Waits for <see cref="JobQueued"/> or the timeout, whichever comes first.</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);

    public sealed class Subscription(ChannelReader<JobEvent> reader, Action dispose) : IDisposable
    {
        public ChannelReader<JobEvent> Reader { get; } = reader;

        public void Dispose() => dispose();
    }
}
