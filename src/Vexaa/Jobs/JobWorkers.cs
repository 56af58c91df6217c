using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vexaa.Media;

namespace Vexaa.Jobs;

/// <summary>
/// The in-process workers: each loop claims a job, processes it, and waits for a wake-up (or polls) when the queue is
/// empty. On shutdown they stop claiming at once, give running jobs the grace period to finish, then stop ffmpeg and
/// release those jobs to be picked up again.
/// </summary>
public sealed class JobWorkers(
    JobQueue queue,
    JobProcessor processor,
    JobEvents events,
    SandboxedTools sandboxedTools,
    IOptions<WorkersOptions> options,
    TimeProvider time,
    ILogger<JobWorkers> logger) : BackgroundService
{
    private readonly CancellationTokenSource _hardStop = new();
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Ids.New()[..8]}";
    private int _busy;

    public int Count => options.Value.EffectiveCount;
    public int Busy => Volatile.Read(ref _busy);
    public bool Running { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Count == 0)
        {
            return;
        }

        var tools = await sandboxedTools.GetAsync(stoppingToken);
        Running = true;
        logger.LogInformation("{Count} worker(s) started as {Owner}", Count, _owner);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Count).Select(i => LoopAsync(i, tools, stoppingToken)));
        }
        finally
        {
            Running = false;
        }
    }

    private async Task LoopAsync(int index, MediaTools tools, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lease = TimeSpan.FromSeconds(settings.LeaseSeconds);
        var poll = TimeSpan.FromSeconds(settings.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimed = await queue.ClaimAsync($"{_owner}/{index}", lease, stoppingToken);
                if (claimed is not { } work)
                {
                    await events.WaitForWorkAsync(poll, stoppingToken);
                    continue;
                }

                Interlocked.Increment(ref _busy);
                try
                {
                    await using var attempt = JobAttempt.Begin(queue, work.Job, work.Lease, lease, time, logger);
                    await processor.ProcessAsync(attempt, tools, _hardStop.Token);
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is down or similar: wait and try again rather than spinning.
                logger.LogError(e, "Worker {Index} could not claim a job", index);
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(options.Value.ShutdownGraceSeconds);
        // Stop claiming now; running jobs may finish within the grace period, after which they are released.
        var stopping = base.StopAsync(CancellationToken.None);
        if (Busy > 0)
        {
            logger.LogInformation("Waiting up to {Grace} for {Busy} running job(s)", grace, Busy);
        }

        var finished = await Task.WhenAny(stopping, Task.Delay(grace, cancellationToken)) == stopping;
        if (!finished)
        {
            logger.LogWarning("Grace period over: stopping {Busy} job(s) and releasing them", Busy);
            await _hardStop.CancelAsync();
        }

        await stopping;
    }

    public override void Dispose()
    {
        _hardStop.Dispose();
        base.Dispose();
    }
}
