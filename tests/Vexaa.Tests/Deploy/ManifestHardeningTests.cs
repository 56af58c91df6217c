using System.Net;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>What an expert reading of the manifests asked for, checked on what kustomize renders.</summary>
public sealed class ManifestHardeningTests
{
    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Each_workload_has_its_own_service_account_without_a_token(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        var names = m.Workloads.Select(w => w.Template.Spec.ServiceAccountName).ToList();
        Assert.DoesNotContain(null, names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(m.Workloads, w => Assert.False(w.Template.Spec.AutomountServiceAccountToken ?? true, $"{w.Name} mounts a token"));
        Assert.All(names, n => Assert.False(Assert.Single(m.All<V1ServiceAccount>(), a => a.Metadata.Name == n).AutomountServiceAccountToken ?? true));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Volumes_are_re_owned_only_when_their_root_is_not_the_pods_group(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        Assert.All(m.Workloads.Where(w => w.Template.Spec.SecurityContext?.FsGroup is not null),
            w => Assert.Equal("OnRootMismatch", w.Template.Spec.SecurityContext.FsGroupChangePolicy));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Ephemeral_storage_requests_cover_the_emptyDir_size_limits_and_limits_leave_room_for_logs(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        foreach (var w in m.Workloads)
        {
            var emptyDirs = (w.Template.Spec.Volumes ?? []).Where(v => v.EmptyDir is not null).ToList();
            Assert.All(emptyDirs, v => Assert.True(v.EmptyDir.SizeLimit is not null, $"{w.Name}: emptyDir '{v.Name}' has no sizeLimit"));
            var sum = emptyDirs.Sum(v => v.EmptyDir.SizeLimit.ToDecimal());
            var resources = Assert.Single(w.Containers).Resources;
            var request = resources.Requests["ephemeral-storage"].ToDecimal();
            var limit = resources.Limits["ephemeral-storage"].ToDecimal();
            Assert.True(request >= sum, $"{w.Name}: ephemeral-storage request {request} is below its emptyDirs' {sum}");
            Assert.True(limit >= sum + 512 * 1024 * 1024 && limit <= request + 2m * 1024 * 1024 * 1024, $"{w.Name}: ephemeral-storage limit {limit} (request {request}, emptyDirs {sum})");
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task No_probe_waits_longer_than_its_period(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        foreach (var c in m.Workloads.SelectMany(w => w.Containers))
        {
            foreach (var (kind, probe) in new[] { ("startup", c.StartupProbe), ("liveness", c.LivenessProbe), ("readiness", c.ReadinessProbe) })
            {
                Assert.True(probe is null || (probe.TimeoutSeconds ?? 1) <= (probe.PeriodSeconds ?? 10), $"{c.Name}: {kind} timeout {probe?.TimeoutSeconds} > period {probe?.PeriodSeconds}");
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task API_replicas_are_spread_over_nodes_and_zones(string overlay)
    {
        var api = (await Kustomize.RenderAsync(overlay)).Workload("vexaa-api");

        var spread = api.Template.Spec.TopologySpreadConstraints ?? [];
        foreach (var key in new[] { "kubernetes.io/hostname", "topology.kubernetes.io/zone" })
        {
            var c = Assert.Single(spread, s => s.TopologyKey == key);
            Assert.True(Manifests.Selects(c.LabelSelector, api.Template.Metadata.Labels), $"{key}: the constraint does not count the API pods");
            Assert.Equal(1, c.MaxSkew);
            // Spreading must not block a rollout on a single-node or single-zone cluster.
            Assert.Equal("ScheduleAnyway", c.WhenUnsatisfiable);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task The_worker_autoscaler_falls_back_to_a_fixed_count_when_its_query_fails(string overlay)
    {
        var scaled = Assert.Single((await Kustomize.RenderAsync(overlay)).CustomOfKind("ScaledObject"));

        var replicas = int.Parse((string)scaled.At("spec", "fallback", "replicas")!);
        Assert.InRange(int.Parse((string)scaled.At("spec", "fallback", "failureThreshold")!), 1, 10);
        Assert.InRange(replicas, int.Parse((string)scaled.At("spec", "minReplicaCount")!), int.Parse((string)scaled.At("spec", "maxReplicaCount")!));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_minikube_namespace_enforces_the_restricted_pod_security_profile()
    {
        var ns = Assert.Single((await Kustomize.RenderAsync(Kustomize.Minikube)).All<V1Namespace>());

        Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_production_overlay_does_not_own_the_namespace_so_delete_k_keeps_its_Secrets()
    {
        var m = await Kustomize.RenderAsync(Kustomize.Production);

        Assert.Empty(m.All<V1Namespace>());
        Assert.All(m.Objects, o => Assert.Equal("vexaa", o.Metadata.NamespaceProperty));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Images_are_pinned_to_a_release_or_digest_or_are_never_pulled(string overlay)
    {
        foreach (var c in (await Kustomize.RenderAsync(overlay)).Workloads.SelectMany(w => w.Containers))
        {
            var pinned = Regex.IsMatch(c.Image, @"(:\d+\.\d+\.\d+(-[\w.]+)?|@sha256:[0-9a-f]{64})$");
            Assert.True(pinned || c.ImagePullPolicy == "Never", $"{c.Name}: image {c.Image} is a moving tag");
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task The_Ingress_routes_the_web_page_and_API_but_not_health_or_metrics(string overlay)
    {
        var paths = Assert.Single((await Kustomize.RenderAsync(overlay)).All<V1Ingress>()).Spec.Rules.SelectMany(r => r.Http.Paths).ToList();
        var wwwroot = Path.Combine(Kustomize.RepositoryRoot, "src", "Vexaa.Server", "wwwroot");
        var files = Directory.GetFiles(wwwroot, "*", SearchOption.AllDirectories).Select(f => "/" + Path.GetRelativePath(wwwroot, f).Replace('\\', '/'));

        Assert.All(files.Concat(["/", "/api/v1/jobs", "/api/v1/uploads/x", "/docs", "/docs/x.js", "/openapi/v1.json"]), p => Assert.True(Routes(paths, p), $"{p} is not routed"));
        Assert.All(new[] { "/readyz", "/healthz", "/metrics", "/readyz/", "/apix" }, p => Assert.False(Routes(paths, p), $"{p} is exposed"));
    }

    [Fact]
    public void No_kustomization_uses_a_deprecated_field()
    {
        var deprecated = new[] { "bases", "patchesStrategicMerge", "patchesJson6902", "commonLabels", "vars", "imageTags" };
        foreach (var file in Directory.GetFiles(Kustomize.K8sDirectory, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var keys = File.ReadAllLines(file).Select(l => Regex.Match(l, @"^([A-Za-z0-9]+):").Groups[1].Value).Where(k => k.Length > 0);
            Assert.Empty(keys.Intersect(deprecated).Select(k => $"{Path.GetRelativePath(Kustomize.K8sDirectory, file)}: {k}"));
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task The_API_believes_forwarded_headers_from_the_pod_network_only(string overlay)
    {
        var m = await Kustomize.RenderAsync(overlay);
        var environment = m.Environment(m.Workload("vexaa-api").Containers.Single());

        var networks = environment.Where(e => e.Key.StartsWith("Vexaa__Http__KnownNetworks", StringComparison.Ordinal)).Select(e => IPNetwork.Parse(e.Value)).ToList();
        Assert.NotEmpty(networks);
        // minikube's pod network (where its ingress-nginx runs), and never everyone.
        Assert.Contains(networks, n => n.Contains(IPAddress.Parse("10.244.0.5")));
        Assert.All(networks, n => Assert.True(n.PrefixLength >= 8, $"{n} trusts too much"));
    }

    /// <summary>Ingress path matching: Exact is the whole path, Prefix matches whole path elements.</summary>
    private static bool Routes(IEnumerable<V1HTTPIngressPath> paths, string path) => paths.Any(p => p.PathType switch
    {
        "Exact" => p.Path == path,
        "Prefix" => p.Path == "/" || path == p.Path.TrimEnd('/') || path.StartsWith(p.Path.TrimEnd('/') + "/", StringComparison.Ordinal),
        _ => throw new InvalidOperationException($"pathType {p.PathType}"),
    });
}
