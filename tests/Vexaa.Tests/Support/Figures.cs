using System.Globalization;

namespace Vexaa.Tests.Support;

/// <summary>
/// Counts a test measured (cases run, faults injected, what went wrong), written to test-results/figures/ at the
/// repository's root; <c>scripts/figures.sh</c> prints them as the table in docs/RELIABILITY.md. One file per test,
/// rewritten by each run, so the table shows the latest runs and nothing typed in by hand.
/// </summary>
public static class Figures
{
    /// <summary>Hostile media classes tried against the sandbox or the allow-lists, and how many escaped.</summary>
    public static void Hostile(string name, long tried, long escapes) => Record("hostile", name, tried, escapes);

    /// <summary>
    /// Faults injected (a disk that fills, a database or S3 that fails, a client that hangs up) and the jobs or uploads
    /// lost to them: accepted work that neither finished nor failed with a clear error, or a result published partial.
    /// Count first, record, then assert, so a failing run still shows its figure.
    /// </summary>
    public static void Fault(string name, long injected, long jobsLost) => Record("fault", name, injected, jobsLost);

    /// <summary>Random (property-based) cases run and how many got a 500 or an unhandled exception.</summary>
    public static void Fuzz(string name, long cases, long serverErrors) => Record("fuzz", name, cases, serverErrors);

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
