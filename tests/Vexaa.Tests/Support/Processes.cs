namespace Vexaa.Tests.Support;

/// <summary>Looks for leftover child processes by a string in their command line (Linux /proc).</summary>
public static class Processes
{
    public static List<int> WithArgument(string fragment)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(fragment, StringComparison.Ordinal) && !cmdline.StartsWith("dotnet", StringComparison.Ordinal) && !cmdline.Contains("vstest", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
