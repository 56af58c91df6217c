namespace Vexaa.Tests.Support;

/// <summary>tests/js, where `npm ci --prefix tests/js` (run by ./test.sh) installs the Node packages the tests drive.</summary>
public static class JsPackages
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/js was not found above {AppContext.BaseDirectory}.");
    });

    public static string Directory => Root.Value;

    /// <summary>The folder of an installed package, or a message saying how to install it.</summary>
    public static string Require(string package)
    {
        var path = Path.Combine(Root.Value, "node_modules", package);
        return System.IO.Directory.Exists(path)
            ? path
            : throw new InvalidOperationException($"{Root.Value} has no node_modules/{package}: run 'npm ci --prefix tests/js' (./test.sh does).");
    }
}
