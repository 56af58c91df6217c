using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>Worker pods reach DNS, the database, Redis and object storage, and nothing else.</summary>
public sealed class WorkerNetworkPolicyTests
{
    /// <summary>DNS, MySQL, Redis, MinIO, S3 over HTTPS. Web egress for webhooks is deliberately not here (docs/DEPLOY.md).</summary>
    private static readonly int[] AllowedPorts = [53, 3306, 6379, 9000, 443];

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task The_policy_selects_the_workers_and_only_them(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var policy = Assert.Single(m.All<V1NetworkPolicy>());

        Assert.True(Manifests.Selects(policy.Spec.PodSelector, m.Workload("vexaa-worker").Template.Metadata.Labels), "The policy does not select the worker pods");
        Assert.All(m.Workloads.Where(w => w.Name != "vexaa-worker"), w => Assert.False(Manifests.Selects(policy.Spec.PodSelector, w.Template.Metadata.Labels)));
        Assert.Contains("Egress", policy.Spec.PolicyTypes);
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Egress_is_only_DNS_database_Redis_and_storage(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var egress = Assert.Single(m.All<V1NetworkPolicy>()).Spec.Egress;

        foreach (var rule in egress)
        {
            // A rule without destinations or without ports would allow everything on that axis.
            Assert.True(rule.To is { Count: > 0 } && rule.Ports is { Count: > 0 }, "Every egress rule names destinations and ports");
            Assert.All(rule.Ports, p => Assert.Contains(p.Port.ToInt(), AllowedPorts));
            Assert.All(rule.To, peer => Assert.True(peer.IpBlock is null || !peer.IpBlock.Cidr.EndsWith("/0", StringComparison.Ordinal), "No egress to everywhere"));
            Assert.All(rule.To, peer => Assert.True(peer.PodSelector is not null || peer.IpBlock is not null, "No whole namespaces"));
        }

        var dns = Assert.Single(egress, r => r.Ports.Any(p => p.Port.ToInt() == 53));
        Assert.Contains(dns.Ports, p => p.Protocol == "UDP");
        Assert.Contains(egress, r => r.Ports.Any(p => p.Port.ToInt() == 3306));
        Assert.Contains(egress, r => r.Ports.Any(p => p.Port.ToInt() == 6379));
    }

    [Fact(Timeout = 60_000)]
    public async Task In_minikube_the_workers_reach_MariaDB_and_Redis_pods_on_their_ports()
    {
        var m = await Kustomize.RenderAsync(Kustomize.Minikube);
        var egress = Assert.Single(m.All<V1NetworkPolicy>()).Spec.Egress;

        foreach (var name in new[] { "vexaa-mariadb", "vexaa-redis" })
        {
            var target = m.Workload(name);
            var port = target.Containers.Single().Ports.Single().ContainerPort;
            Assert.Contains(egress, rule =>
                rule.To.Any(peer => peer.NamespaceSelector is null && Manifests.Selects(peer.PodSelector, target.Template.Metadata.Labels))
                && rule.Ports.Any(p => p.Port.ToInt() == port));
        }
    }
}
