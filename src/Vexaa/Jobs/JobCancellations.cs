using System.Collections.Concurrent;

namespace Vexaa.Jobs;

/// <summary>The jobs running in this process, so a cancel request here stops ffmpeg at once instead of at the next lease renewal.</summary>
public sealed class JobCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();

    internal IDisposable Register(string jobId, CancellationTokenSource source)
    {
        _running[jobId] = source;
        return new Unregister(() => _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(jobId, source)));
    }

    /// <summary>Stops the job if it runs here. (Elsewhere, its worker notices when it next renews its lease.)</summary>
    public void Cancel(string jobId)
    {
        if (_running.TryGetValue(jobId, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished in the meantime.
            }
        }
    }

    public int Count => _running.Count;

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
