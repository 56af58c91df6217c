using System.CommandLine;
using System.IO.Compression;
using Vexaa.Media;
using Vexaa.Packaging;

namespace Vexaa.Cli;

// Several formats (--format flac,mp3 with --bitrate mp3=128k) and archival packages (--package bagit).
internal static partial class ExtractCommand
{
    private static readonly Option<string?> Package = new("--package") { Description = "bagit: write a BagIt 1.0 bag (outputs under data/, SHA-256/512 manifests) to the -o folder, or zipped when -o ends in .zip. One input only." };
    private static readonly Option<string?> SourceOrganization = new("--source-organization") { Description = "With --package: the Source-Organization recorded in bag-info.txt." };

    /// <summary>Where a bag goes: built in <see cref="Folder"/>, then zipped to <see cref="Zip"/> when asked.</summary>
    private sealed record PackageRequest(string Folder, string? Zip, string? Organization);

    private static ExtractionOptions WithFormats(ParseResult parse, ExtractionOptions options)
    {
        var formats = parse.GetValue(Format) is { } f ? FormatSet.Parse(f) : null;
        var (bitrate, bitrates) = FormatSet.ParseSetting(parse.GetValue(Bitrate) ?? [], OptionParser.ParseBitrate, "--bitrate");
        var (rate, rates) = FormatSet.ParseSetting(parse.GetValue(SampleRate) ?? [], OptionParser.ParseSampleRate, "--sample-rate");
        return options with
        {
            Format = formats?[0],
            Formats = formats is { Count: > 1 } ? formats : null,
            BitrateKbps = bitrate,
            SampleRate = rate,
            FormatBitrates = bitrates,
            FormatSampleRates = rates,
        };
    }

    /// <summary>Reads --package; when given, <paramref name="output"/> becomes the bag's data/ folder.</summary>
    private static PackageRequest? ReadPackage(ParseResult parse, ref string? output)
    {
        if (parse.GetValue(Package) is not { } kind)
        {
            return parse.GetValue(SourceOrganization) is null ? null : throw MediaException.Invalid("--source-organization only applies with --package bagit.");
        }

        if (!string.Equals(kind.Trim(), "bagit", StringComparison.OrdinalIgnoreCase))
        {
            throw MediaException.Invalid($"Package '{kind}' is not known; use bagit.");
        }

        var inputs = parse.GetValue(Inputs)!;
        if (inputs.Length != 1)
        {
            throw MediaException.Invalid("--package makes one bag from one input; give the inputs one at a time.");
        }

        var target = Path.GetFullPath(output ?? Path.ChangeExtension(inputs[0], null) + "-bag");
        var zip = target.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ? target : null;
        if (zip is not null && File.Exists(zip) && !parse.GetValue(Overwrite))
        {
            throw new MediaException(MediaError.OutputExists, $"'{zip}' already exists; pass --overwrite to replace it.");
        }

        // A zip is built as a hidden folder beside it; a folder must be new or empty, so the manifest lists only this payload.
        var folder = zip is null ? target.TrimEnd('/') : Path.Combine(Path.GetDirectoryName(zip)!, $".{Path.GetFileNameWithoutExtension(zip)}.{Guid.NewGuid():N}.bag");
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new MediaException(MediaError.OutputExists, $"The bag folder '{folder}' is not empty; a bag is written into a new or empty folder.");
        }

        if (OutputNaming.Unwritable(Path.Combine(folder, "bagit.txt")) is { } why && !Directory.Exists(Path.GetDirectoryName(folder)))
        {
            throw new MediaException(MediaError.OutputNotWritable, why);
        }

        Directory.CreateDirectory(Path.Combine(folder, "data"));
        output = Path.Combine(folder, "data") + "/";
        return new PackageRequest(folder, zip, parse.GetValue(SourceOrganization));
    }

    private static async Task<int> FinishPackageAsync(PackageRequest package, ExtractTarget target, CommandLineRecorder recorder, MediaTools tools,
        ExtractionOptions options, (MediaInfo Media, ExtractionResult Result) made, ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            var source = await BagWriter.DescribeSourceAsync(target.Input, Path.GetFileName(target.Input), cancellationToken);
            var data = Path.Combine(package.Folder, "data");
            var outputs = made.Result.Files.Select(f => new BagOutput(Path.GetRelativePath(data, f.Path).Replace('\\', '/'), f)).ToList();
            var info = new BagInfo(source, recorder.CommandLines, BagWriter.VexaaVersion, package.Organization, DateTimeOffset.UtcNow)
            {
                FfmpegVersion = await FfmpegVersion.OfAsync(tools, cancellationToken),
                Contents = new BagContents(made.Media, options, outputs),
            };
            await BagWriter.WriteAsync(package.Folder, info, cancellationToken);
            var written = package.Folder;
            if (package.Zip is { } zip)
            {
                var temporary = OutputNaming.Temporary(zip);
                await ZipFile.CreateFromDirectoryAsync(package.Folder, temporary, CompressionLevel.NoCompression, includeBaseDirectory: false, cancellationToken);
                File.Move(temporary, zip, overwrite: parse.GetValue(Overwrite));
                Directory.Delete(package.Folder, recursive: true);
                written = zip;
            }

            if (parse.GetValue(Json))
            {
                Console.WriteLine(CliOutput.ToJson(new { type = "package", package = "bagit", path = written }));
            }
            else
            {
                await Console.Error.WriteLineAsync($"BagIt bag written: {written}");
            }

            return 0;
        }
        catch (IOException e)
        {
            return CliOutput.Fail(new MediaException(MediaError.OutputNotWritable, $"The bag could not be written: {e.Message}"));
        }
    }
}
