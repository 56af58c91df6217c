using System.Text.RegularExpressions;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Architecture;

/// <summary>The repository's source files, read from disk (the tests run from tests/Vexaa.Tests/bin/...).</summary>
public static partial class SourceTree
{
    public static string Root => Repository.Root;

    public static string Core => Path.Combine(Root, "src", "Vexaa");

    /// <summary>Every .cs file under <paramref name="folder"/>, without build output.</summary>
    public static IEnumerable<string> CSharpFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>The core's feature folders (Media, Jobs, ...): each is one namespace, Vexaa.Folder.</summary>
    public static IReadOnlyList<string> CoreFolders() =>
        [.. Directory.GetDirectories(Core).Select(Path.GetFileName).OfType<string>().Where(d => d is not ("bin" or "obj")).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Which other core folders each folder's code names: by <c>using Vexaa.X</c>, by <c>Vexaa.X.</c>, or by <c>X.</c>
    /// followed by a type name (code in namespace Vexaa.Y can write <c>Jobs.JobState</c> without a using).
    /// </summary>
    public static IReadOnlyDictionary<string, SortedSet<string>> CoreDependencies()
    {
        var folders = CoreFolders();
        var graph = folders.ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        foreach (var folder in folders)
        {
            foreach (var file in CSharpFiles(Path.Combine(Core, folder)))
            {
                var code = WithoutComments(File.ReadAllText(file));
                foreach (var other in folders.Where(o => o != folder))
                {
                    if (Regex.IsMatch(code, $@"(?<![\w.])(Vexaa\.)?{other}\.[A-Z]") || Regex.IsMatch(code, $@"\busing\s+Vexaa\.{other}\s*;"))
                    {
                        graph[folder].Add(other);
                    }
                }
            }
        }

        return graph;
    }

    /// <summary>A cycle in the graph as "A → B → A", or null when there is none.</summary>
    public static string? FindCycle(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the current path, 2: done
        var path = new List<string>();

        string? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return string.Join(" → ", path.SkipWhile(p => p != next).Append(next));
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return graph.Keys.Where(k => state.GetValueOrDefault(k) == 0).Select(Visit).FirstOrDefault(c => c is not null);
    }

    /// <summary>The graph as a Markdown table, the folders in dependency order (each depends only on folders above it).</summary>
    public static string Table(IReadOnlyDictionary<string, SortedSet<string>> graph)
    {
        var ordered = new List<string>();
        while (ordered.Count < graph.Count)
        {
            var next = graph.Keys.Where(k => !ordered.Contains(k) && graph[k].All(ordered.Contains)).Order(StringComparer.Ordinal).ToList();
            ordered.AddRange(next.Count > 0 ? next : graph.Keys.Where(k => !ordered.Contains(k)));
        }

        var lines = new List<string> { "| Folder | Depends on |", "|---|---|" };
        lines.AddRange(ordered.Select(f => $"| {f} | {(graph[f].Count == 0 ? "—" : string.Join(", ", graph[f]))} |"));
        return string.Join("\n", lines);
    }

    // Comments may name other folders ("unlike Jobs.JobQueue ..."); only code counts.
    private static string WithoutComments(string code) => CommentPattern().Replace(code, "");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();
}
