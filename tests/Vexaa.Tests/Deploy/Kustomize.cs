using System.Collections.Concurrent;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Renders deploy/k8s kustomizations with <c>kubectl kustomize</c> (offline: no cluster is involved), once per test run.
/// VEXAA_KUBECTL picks another kubectl (1.21+: the kustomizations use `patches`, which kustomize 2.0 lacks).
/// </summary>
public static class Kustomize
{
    public const string Minikube = "overlays/minikube";
    public const string Production = "overlays/production";

    /// <summary>The overlays a person applies; each must be complete and consistent on its own.</summary>
    public static TheoryData<string> Overlays => [Minikube, Production];

    /// <summary>Everything that renders, the base pieces included.</summary>
    public static TheoryData<string> All => ["base", "base/placeholder-secrets", Minikube, Production];

    private static readonly ConcurrentDictionary<string, Lazy<Task<Manifests>>> Cache = new();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string K8sDirectory => Path.Combine(RepositoryRoot, "deploy", "k8s");

    public static Task<Manifests> RenderAsync(string kustomization) =>
        Cache.GetOrAdd(kustomization, k => new Lazy<Task<Manifests>>(() => RenderUncachedAsync(k))).Value;

    private static async Task<Manifests> RenderUncachedAsync(string kustomization)
    {
        var kubectl = FindKubectl();
        var directory = Path.Combine(K8sDirectory, kustomization);
        var result = await Proc.RunAsync(kubectl, ["kustomize", directory]);
        Assert.True(result.ExitCode == 0, $"'{kubectl} kustomize {directory}' failed ({result.ExitCode}):\n{result.Stderr}");
        return Manifests.Parse(result.Stdout, kustomization, directory);
    }

    private static string FindKubectl()
    {
        if (Environment.GetEnvironmentVariable("VEXAA_KUBECTL") is { Length: > 0 } chosen)
        {
            Assert.True(File.Exists(chosen), $"VEXAA_KUBECTL names '{chosen}', which does not exist.");
            return chosen;
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "kubectl"))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            "kubectl is not installed, and the Kubernetes manifests can only be checked by rendering them with " +
            "'kubectl kustomize'. Run 'scripts/install-deps.sh --tests' (it installs Debian's kubernetes-client) " +
            "or set VEXAA_KUBECTL to a kubectl binary.");
        return found;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vexaa.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Vexaa.slnx above {AppContext.BaseDirectory}.");
    }
}
