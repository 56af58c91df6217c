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

    [Fact]
    public void The_vendored_tus_js_client_is_the_pinned_npm_package_byte_for_byte()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package.json")));
        var wanted = manifest.RootElement.GetProperty("dependencies").GetProperty("tus-js-client").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", wanted);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package-lock.json")));
        var locked = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/tus-js-client");
        Assert.Equal(wanted, locked.GetProperty("version").GetString());
        Assert.StartsWith("sha512-", locked.GetProperty("integrity").GetString());

        var installed = Path.Combine(Vendor, "node_modules", "tus-js-client");
        Assert.True(Directory.Exists(installed),
            $"{installed} is missing: run 'scripts/vendor-web.sh --install' (./test.sh does) to install the pinned packages with npm ci.");
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(installed, "package.json")));
        Assert.Equal(wanted, package.RootElement.GetProperty("version").GetString());

        var served = Path.Combine(Repository.Root, "src", "Vexaa.Server", "wwwroot", "vendor");
        Assert.True(File.ReadAllBytes(Path.Combine(installed, "dist", "tus.min.js")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(served, "tus.min.js"))),
            "wwwroot/vendor/tus.min.js differs from the pinned package: run scripts/vendor-web.sh and commit the result.");
        Assert.Equal(File.ReadAllText(Path.Combine(installed, "LICENSE")), File.ReadAllText(Path.Combine(served, "tus-js-client.LICENSE.txt")));
    }

    [Fact]
    public void The_vendored_mediabunny_is_the_pinned_npm_package_byte_for_byte()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package.json")));
        var wanted = manifest.RootElement.GetProperty("dependencies").GetProperty("mediabunny").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+$", wanted);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vendor, "package-lock.json")));
        var locked = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/mediabunny");
        Assert.Equal(wanted, locked.GetProperty("version").GetString());
        Assert.StartsWith("sha512-", locked.GetProperty("integrity").GetString());

        var installed = Path.Combine(Vendor, "node_modules", "mediabunny");
        Assert.True(Directory.Exists(installed),
            $"{installed} is missing: run 'scripts/vendor-web.sh --install' (./test.sh does) to install the pinned packages with npm ci.");
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(installed, "package.json")));
        Assert.Equal(wanted, package.RootElement.GetProperty("version").GetString());

        var served = Path.Combine(Repository.Root, "src", "Vexaa.Server", "wwwroot", "vendor");
        Assert.True(File.ReadAllBytes(Path.Combine(installed, "dist", "bundles", "mediabunny.min.mjs")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(served, "mediabunny.min.js"))),
            "wwwroot/vendor/mediabunny.min.js differs from the pinned package: run scripts/vendor-web.sh and commit the result.");
        Assert.Equal(File.ReadAllText(Path.Combine(installed, "LICENSE")), File.ReadAllText(Path.Combine(served, "mediabunny.LICENSE.txt")));
    }
}
