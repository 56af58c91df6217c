using Xunit.Abstractions;

namespace Vexaa.Tests.Architecture;

/// <summary>The core library's folders depend on each other one way only, read from the source so it stays true.</summary>
public sealed class LayeringTests(ITestOutputHelper output)
{
    [Fact]
    public void The_core_folders_depend_on_each_other_without_a_cycle()
    {
        var graph = SourceTree.CoreDependencies();
        output.WriteLine(SourceTree.Table(graph));

        Assert.Null(SourceTree.FindCycle(graph));
    }

    [Fact]
    public void Media_depends_on_nothing_else_in_the_core()
    {
        var graph = SourceTree.CoreDependencies();

        Assert.Empty(graph["Media"]);
    }

    [Fact]
    public void The_cycle_finder_finds_a_cycle()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = [],
        };

        Assert.Equal("A → B → C → A", SourceTree.FindCycle(graph));
        Assert.Null(SourceTree.FindCycle(new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = [] }));
    }

    [Fact]
    public void The_architecture_document_shows_the_current_dependency_table()
    {
        var document = File.ReadAllText(Path.Combine(SourceTree.Root, "docs", "ARCHITECTURE.md")).ReplaceLineEndings("\n");

        Assert.Contains(SourceTree.Table(SourceTree.CoreDependencies()), document);
    }

    [Fact]
    public void No_source_file_is_over_300_lines()
    {
        // The page's own scripts and style sheets count too; the vendored libraries are not ours.
        var page = Path.Combine(SourceTree.Root, "src", "Vexaa.Server", "wwwroot");
        var pageFiles = Directory.EnumerateFiles(page, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}vendor{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.NotEmpty(pageFiles);
        var tooLong = SourceTree.CSharpFiles(Path.Combine(SourceTree.Root, "src")).Concat(pageFiles)
            .Select(f => (File: Path.GetRelativePath(SourceTree.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(tooLong.Count == 0, "Split these by concern:\n" + string.Join("\n", tooLong));
    }
}
