using Vexaa.Media;

namespace Vexaa.Jobs;

// A join job: its inputs, in order, in one output per format, with a chapter at each join (as `vexaa join` does).
public sealed partial class JobProcessor
{
    private async Task<List<JobResultFile>> JoinAsync(Job job, JobLease lease, JobOptions jobOptions, MediaTools tools, string scratch, CancellationToken cancellationToken)
    {
        var extraction = jobOptions.ToExtractionOptions();
        var join = jobOptions.ToJoinOptions();
        var parts = jobOptions.JoinParts!;
        var limits = Limits() with { MaxInputs = Math.Max(limitOptions.Value.MaxInputsPerJob, parts.Count + 1) };
        var joiner = new AudioJoiner(tools, limits, logger);

        // Each input is fetched into a folder of its own: an S3 copy is named after its key's last part.
        var inputs = new List<JoinInput>();
        var keys = new[] { (job.InputKey ?? throw Missing(), job.InputName) }
            .Concat(parts.Select((p, i) => (JobFiles.PartKey(job.Id, i + 1), p.Name))).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            var folder = Path.Combine(scratch, "in" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            string path;
            try
            {
                path = await store.GetLocalCopyAsync(keys[i].Item1, folder, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                throw Missing();
            }

            inputs.Add(await joiner.ProbeAsync(path, cancellationToken, keys[i].Item2));
        }

        await queue.SaveProbeAsync(lease, JobColumns.Write(inputs[0].Media), cancellationToken);
        var plan = JoinPlanner.Plan(inputs, extraction, join, limits);
        var outputDir = Path.Combine(scratch, "out");
        Directory.CreateDirectory(outputDir);
        var outputs = Enumerable.Range(0, plan.Output.FileCount).Select(i => Path.Combine(outputDir, $"{i}{plan.Output.TrackFor(i).Extension}")).ToList();
        var names = OutputNaming.ForPlan(plan.Output, JobFiles.SafeStem(job.InputName), outputDir).Select(n => Path.GetFileName(n)).ToList();
        var joined = await joiner.RunAsync(plan, outputs, overwrite: true, Progress(job, lease), cancellationToken);
        return await StoreResultsAsync(job, lease, joined.Result, names, cancellationToken);
    }

    private static MediaException Missing() => new(MediaError.InputNotFound, "The job's input is no longer stored.");
}
