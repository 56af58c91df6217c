using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Vexaa.Jobs;

/// <summary>A change to a job that watchers care about: its state, and how far along it is.</summary>
public sealed record JobEvent(string JobId, string UserId, string State, double Progress, long? EtaMs, string? Phase = null);

/// <summary>
/// In-process fan-out of job events (for Server-Sent Events) and wake-ups (for idle workers). Each subscriber has a
/// small bounded channel that keeps only the newest events, so a slow client can never hold up a worker.
/// Another process's events reach watchers through the database, which the event stream also polls.
/// </summary>
public sealed class JobEvents
{
    /// <summary>The <see cref="JobEvent.State"/> of an event that says the job's record is gone.</summary>
    public const string Deleted = "deleted";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> _watchers = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> _userWatchers = new();
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
        foreach (var (watchers, key) in new[] { (_watchers, change.JobId), (_userWatchers, change.UserId) })
        {
            if (watchers.TryGetValue(key, out var channels))
            {
                foreach (var channel in channels.Keys)
                {
                    channel.Writer.TryWrite(change);
                }
            }
        }
    }

    /// <summary>Watches one job until the returned subscription is disposed.</summary>
    public Subscription Watch(string jobId) => Subscribe(_watchers, jobId, 16);

    /// <summary>Watches every job of one user until the returned subscription is disposed.</summary>
    public Subscription WatchUser(string userId) => Subscribe(_userWatchers, userId, 256);

    private static Subscription Subscribe(ConcurrentDictionary<string, ConcurrentDictionary<Channel<JobEvent>, byte>> watchers, string key, int capacity)
    {
        var channel = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest });
        watchers.GetOrAdd(key, _ => new()).TryAdd(channel, 0);
        return new Subscription(channel.Reader, () =>
        {
            if (watchers.TryGetValue(key, out var channels))
            {
                channels.TryRemove(channel, out _);
                if (channels.IsEmpty)
                {
                    watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Channel<JobEvent>, byte>>(key, channels));
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
