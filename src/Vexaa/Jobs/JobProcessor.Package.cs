using System.IO.Compression;
using Vexaa.Media;
using Vexaa.Packaging;

namespace Vexaa.Jobs;

// package=bagit: the job's outputs packed as a BagIt bag, zipped and stored as one more result (the job's download).
public sealed partial class JobProcessor
{
    /// <summary>Copies the outputs into a bag's data/ under their result names, before storing them takes them away.</summary>
    private static string StageBag(ExtractionResult result, List<string> names, string scratch)
    {
        var bag = Path.Combine(scratch, "bag");
        var data = Directory.CreateDirectory(Path.Combine(bag, "data")).FullName;
        for (var i = 0; i < result.Files.Count; i++)
        {
            File.Copy(result.Files[i].Path, Path.Combine(data, names[i]));
        }

        return bag;
    }

    private async Task<JobResultFile> PackageAsync(Job job, JobLease lease, string input, string bag, ExtractionResult result, CommandLineRecorder recorder,
        BagContents contents, MediaTools tools, string scratch, int index, CancellationToken cancellationToken)
    {
        var source = job.InputSha256 is { } sha256
            ? new BagSource(job.InputName, job.InputSize, sha256)
            : await BagWriter.DescribeSourceAsync(input, job.InputName, cancellationToken);
        var info = new BagInfo(source, recorder.CommandLines, BagWriter.VexaaVersion, null, time.GetUtcNow())
        {
            FfmpegVersion = await FfmpegVersion.OfAsync(tools, cancellationToken),
            Contents = contents,
        };
        await BagWriter.WriteAsync(bag, info, cancellationToken);
        var zip = Path.Combine(scratch, "bag.zip");
        // Audio is already compressed; stored entries keep the zip quick to write and to read.
        await ZipFile.CreateFromDirectoryAsync(bag, zip, CompressionLevel.NoCompression, includeBaseDirectory: false, cancellationToken);
        var key = JobFiles.ResultsPrefix(job.Id, lease.Token) + "bag.zip";
        var stored = await store.PutFileAsync(key, zip, cancellationToken);
        return new JobResultFile(index, key, JobFiles.SafeStem(job.InputName) + "-bag.zip", "application/zip", stored.Length, stored.ETag, 0,
            JobOptions.BagIt, "zip", false, null, null, null, Math.Round(result.Files.Select(f => f.Duration.TotalSeconds).DefaultIfEmpty().Max(), 3), null, null);
    }
}
