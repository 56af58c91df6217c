using System.Globalization;

namespace Vexaa.Tests.Support;

/// <summary>
/// Counts a test measured (cases run, faults injected, what went wrong), written to test-results/figures/ at the
/// repository's root; <c>scripts/figures.sh</c> prints them as the table in docs/RELIABILITY.md. One file per test,
/// rewritten by each run, so the table shows the latest runs and nothing typed in by hand.
/// </summary>
public static class Figures
{
    public static void Record(string kind, string name, long tried, long bad)
    {
        var dir = Path.Combine(Root(), "test-results", "figures");
        Directory.CreateDirectory(dir);
        var line = string.Create(CultureInfo.InvariantCulture, $"{kind}\t{name}\t{tried}\t{bad}\t{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n");
        File.WriteAllText(Path.Combine(dir, $"{kind}-{name}.tsv"), line);
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vexaa.slnx")))
            {
                return dir.FullName;
            }
        }

        return Path.GetTempPath();
    }
}
