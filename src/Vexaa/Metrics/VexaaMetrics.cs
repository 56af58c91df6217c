using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Vexaa.Metrics;

/// <summary>
/// The numbers an operator scales and alerts on, kept in process and written in the Prometheus text format.
/// Queue depth is read from the database at scrape time (it is shared by all processes); the rest is this process's.
/// </summary>
public sealed class VexaaMetrics
{
    private static readonly double[] DurationBuckets = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
    private static readonly double[] SpeedBuckets = [1, 5, 10, 25, 50, 100, 200, 500, 1000];
    private readonly ConcurrentDictionary<string, long> _outcomes = new();
    private readonly ConcurrentDictionary<string, long> _failures = new();
    private readonly Histogram _durations = new(DurationBuckets);
    private readonly Histogram _speeds = new(SpeedBuckets);
    private long _uploadsInFlight;

    /// <summary>A job attempt ended: how, how long it took, and how many seconds of audio it turned out per second.</summary>
    public void JobFinished(string outcome, string? errorCode, TimeSpan elapsed, double? realtimeFactor)
    {
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        if (errorCode is not null)
        {
            _failures.AddOrUpdate(errorCode, 1, (_, n) => n + 1);
        }

        _durations.Observe(elapsed.TotalSeconds);
        if (realtimeFactor is { } f && double.IsFinite(f))
        {
            _speeds.Observe(f);
        }
    }

    /// <summary>Counts a request body being received (multipart or tus chunk) until the returned handle is disposed.</summary>
    public IDisposable UploadStarted()
    {
        Interlocked.Increment(ref _uploadsInFlight);
        return new Ender(() => Interlocked.Decrement(ref _uploadsInFlight));
    }

    /// <param name="jobsByState">Every job state, with a count (zero included, so each series exists from the start).</param>
    public string Render(IEnumerable<KeyValuePair<string, long>> jobsByState, long pendingUploads, int workers, int workersBusy)
    {
        var text = new StringBuilder();
        Gauge(text, "vexaa_jobs", "Jobs by state (all processes).", jobsByState.Select(s => ($"state=\"{s.Key}\"", (double)s.Value)));
        Gauge(text, "vexaa_uploads_pending", "Resumable uploads started and not yet turned into jobs (all processes).", [("", pendingUploads)]);
        Gauge(text, "vexaa_uploads_in_flight", "Upload request bodies being received by this process.", [("", Interlocked.Read(ref _uploadsInFlight))]);
        Gauge(text, "vexaa_workers", "Workers in this process.", [("", workers)]);
        Gauge(text, "vexaa_workers_busy", "Workers in this process running a job.", [("", workersBusy)]);
        Counter(text, "vexaa_job_attempts_total", "Job attempts finished by this process, by outcome.", _outcomes.Select(o => ($"outcome=\"{o.Key}\"", o.Value)));
        Counter(text, "vexaa_job_failures_total", "Failed job attempts by error code.", _failures.Select(f => ($"code=\"{f.Key}\"", f.Value)));
        _durations.Write(text, "vexaa_job_duration_seconds", "Wall time of job attempts in this process.");
        _speeds.Write(text, "vexaa_ffmpeg_realtime_factor", "Seconds of audio produced per second of ffmpeg work.");
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, IEnumerable<(string Labels, double Value)> values) =>
        Family(text, name, help, "gauge", values);

    private static void Counter(StringBuilder text, string name, string help, IEnumerable<(string Labels, long Value)> values) =>
        Family(text, name, help, "counter", values.Select(v => (v.Labels, (double)v.Value)));

    private static void Family(StringBuilder text, string name, string help, string type, IEnumerable<(string Labels, double Value)> values)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
        foreach (var (labels, value) in values)
        {
            text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(Num(value)).Append('\n');
        }
    }

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed class Histogram(double[] bounds)
    {
        private readonly long[] _counts = new long[bounds.Length + 1];
        private double _sum;
        private long _count;

        public void Observe(double value)
        {
            lock (_counts)
            {
                var i = Array.FindIndex(bounds, b => value <= b);
                _counts[i < 0 ? bounds.Length : i]++;
                _sum += value;
                _count++;
            }
        }

        public void Write(StringBuilder text, string name, string help)
        {
            lock (_counts)
            {
                text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
                long cumulative = 0;
                for (var i = 0; i < bounds.Length; i++)
                {
                    cumulative += _counts[i];
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{Num(bounds[i])}\"}} {cumulative}\n");
                }

                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {_count}\n{name}_sum {Num(_sum)}\n{name}_count {_count}\n");
            }
        }
    }

    private sealed class Ender(Action end) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                end();
            }
        }
    }
}
