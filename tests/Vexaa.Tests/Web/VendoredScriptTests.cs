using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>
/// The page's copies of tus-js-client and mediabunny (committed, so building VExAA needs no Node.js) must be exactly what the npm
/// packages pinned in scripts/web-vendor/package-lock.json hold; scripts/vendor-web.sh regenerates them.
/// </summary>
public sealed class VendoredScriptTests
{
    private static readonly string Vendor = Path.Combine(Repository.Root, "scripts", "web-vendor");

    [Theory]
    [InlineData("tus-js-client", "dist/tus.min.js", "tus.min.js", "tus-js-client.LICENSE.txt")]
    [InlineData("mediabunny", "dist/bundles/mediabunny.min.mjs", "mediabunny.min.js", "mediabunny.LICENSE.txt")]
    public void The_vendored_script_is_the_pinned_npm_package_byte_for_byte(string name, string built, string copy, string license)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package.json")));
        var wanted = manifest.RootElement.GetProperty("dependencies").GetProperty(name).GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", wanted);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package-lock.json")));
        var locked = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/" + name);
        Assert.Equal(wanted, locked.GetProperty("version").GetString());
        Assert.StartsWith("sha512-", locked.GetProperty("integrity").GetString());

        var installed = Path.Combine(Vendor, "node_modules", name);
        Assert.True(Directory.Exists(installed),
            $"{installed} is missing: run 'scripts/vendor-web.sh --install' (./test.sh does) to install the pinned packages with npm ci.");
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(installed, "package.json")));
        Assert.Equal(wanted, package.RootElement.GetProperty("version").GetString());

        var served = Path.Combine(Repository.Root, "src", "Vexaa.Server", "wwwroot", "vendor");
        Assert.True(File.ReadAllBytes(Path.Combine(installed, built)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(served, copy))),
            $"wwwroot/vendor/{copy} differs from the pinned package: run scripts/vendor-web.sh and commit the result.");
        Assert.Equal(File.ReadAllText(Path.Combine(installed, "LICENSE")), File.ReadAllText(Path.Combine(served, license)));
    }
}
