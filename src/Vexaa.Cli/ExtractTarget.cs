using Vexaa.Media;

namespace Vexaa.Cli;

/// <summary>One input and where its output goes: <see cref="BasePath"/> is the output path without its extension.</summary>
internal sealed record ExtractTarget(string Input, string Format, string BasePath, string? Extension)
{
    /// <summary>Where to write the output's chapters as JSON, when asked.</summary>
    public string? ChaptersJson { get; init; }

    /// <summary>With --split: the folder the parts are written to.</summary>
    public string? PartsFolder { get; init; }

    private const string DefaultFormat = "mp3";

    /// <summary>A name that looks like an option and is no file was almost certainly a mistyped option.</summary>
    public static void RefuseOptionLike(IEnumerable<string> inputs)
    {
        foreach (var input in inputs.Where(i => i.StartsWith('-') && !File.Exists(i)))
        {
            throw MediaException.Invalid($"Unknown option '{input}' (a file whose name starts with '-' can be given as ./{input}).");
        }
    }

    /// <summary>
    /// Works out the outputs. With <c>-o</c> naming a file, the format may come from its extension; with a folder (or no
    /// <c>-o</c>), each output is named after its input. Two inputs that would share a name keep their own extension in it.
    /// </summary>
    public static List<ExtractTarget> Resolve(IReadOnlyList<string> inputs, string? output, string? format)
    {
        RefuseOptionLike(inputs);
        var isFolder = output is null
            || output.EndsWith('/') || output.EndsWith(Path.DirectorySeparatorChar)
            || Directory.Exists(output)
            || (inputs.Count > 1 && !File.Exists(output));
        if (!isFolder)
        {
            if (inputs.Count > 1)
            {
                throw MediaException.Invalid($"With several inputs, -o must be a folder, but '{output}' is a file.");
            }

            var extension = Path.GetExtension(output!);
            var resolved = format ?? AudioFormats.FromExtension(extension)?.Name
                ?? throw MediaException.Invalid(extension.Length == 0
                    ? $"The output '{output}' has no extension; add one (e.g. .mp3) or pass --format."
                    : $"The output extension '{extension}' is not a format VExAA writes; use {string.Join(", ", AudioFormats.All.Select(f => f.Extension).Distinct())} or pass --format.");
            // "-o talk --format opus" gets the format's extension added; "-o talk.opus" keeps its own.
            return extension.Length == 0
                ? [new ExtractTarget(inputs[0], resolved, Path.GetFullPath(output!), null)]
                : [new ExtractTarget(inputs[0], resolved, Path.ChangeExtension(Path.GetFullPath(output!), null), extension)];
        }

        if (output is not null)
        {
            Directory.CreateDirectory(output);
        }

        var stems = inputs.Select(i => Path.GetFileNameWithoutExtension(i)).ToList();
        return [.. inputs.Select((input, i) =>
        {
            var folder = output ?? Path.GetDirectoryName(Path.GetFullPath(input))!;
            var shared = stems.Count(s => string.Equals(s, stems[i], StringComparison.Ordinal)) > 1;
            var stem = shared ? Path.GetFileName(input) : stems[i];
            return new ExtractTarget(input, format ?? DefaultFormat, Path.GetFullPath(Path.Combine(folder, stem)), null);
        })];
    }
}
