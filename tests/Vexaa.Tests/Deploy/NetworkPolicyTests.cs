using System.Net;
using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Workers reach DNS, the database, Redis and object storage, nothing else; API pods also reach public addresses on
/// 80/443 (webhooks) but never private ranges or the cloud metadata service; minikube's MariaDB and Redis accept VExAA.
/// </summary>
public sealed class NetworkPolicyTests
{
    /// <summary>DNS, MySQL, Redis, MinIO, S3 over HTTPS. Web egress for webhooks is deliberately not here (docs/DEPLOY.md).</summary>
    private static readonly int[] WorkerPorts = [53, 3306, 6379, 9000, 443];

    /// <summary>Where a webhook must never go: private and shared ranges, loopback, and the cloud metadata address.</summary>
    private static readonly string[] Forbidden = ["10.1.2.3", "172.20.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.169.254", "169.254.20.10", "fd00:ec2::254", "fe80::1", "::1"];

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Each_VExAA_role_has_a_policy_that_selects_its_pods_and_only_them(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        foreach (var role in new[] { "vexaa-api", "vexaa-worker" })
        {
            var policy = Assert.Single(m.All<V1NetworkPolicy>(), p => p.Metadata.Name == role);
            Assert.True(Manifests.Selects(policy.Spec.PodSelector, m.Workload(role).Template.Metadata.Labels), $"{role}: the policy does not select its pods");
            Assert.All(m.Workloads.Where(w => w.Name != role), w => Assert.False(Manifests.Selects(policy.Spec.PodSelector, w.Template.Metadata.Labels)));
            Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Worker_egress_is_only_DNS_database_Redis_and_storage(string kustomization)
    {
        var egress = Policy(await Kustomize.RenderAsync(kustomization), "vexaa-worker").Spec.Egress;

        foreach (var rule in egress.Where(r => !IsDns(r)))
        {
            // A rule without destinations or without ports would allow everything on that axis.
            Assert.True(rule.To is { Count: > 0 } && rule.Ports is { Count: > 0 }, "Every egress rule but DNS names destinations and ports");
            Assert.All(rule.Ports, p => Assert.Contains(p.Port.ToInt(), WorkerPorts));
            Assert.All(rule.To, peer => Assert.True(peer.IpBlock is null || !peer.IpBlock.Cidr.EndsWith("/0", StringComparison.Ordinal), "No egress to everywhere"));
            Assert.All(rule.To, peer => Assert.True(peer.PodSelector is not null || peer.IpBlock is not null, "No whole namespaces"));
        }

        Assert.Contains(egress, r => r.Ports.Any(p => p.Port.ToInt() == 3306));
        Assert.Contains(egress, r => r.Ports.Any(p => p.Port.ToInt() == 6379));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task DNS_is_allowed_on_port_53_to_any_resolver_so_NodeLocal_DNSCache_works(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        foreach (var role in new[] { "vexaa-api", "vexaa-worker" })
        {
            // NodeLocal DNSCache answers on 169.254.20.10 or on kube-dns's ClusterIP from a host-network pod: no
            // podSelector matches either, so the rule names the port only.
            var dns = Assert.Single(Policy(m, role).Spec.Egress, IsDns);
            Assert.True(dns.To is null or { Count: 0 }, $"{role}: the DNS rule is limited to some destinations");
            Assert.Equal(["53/TCP", "53/UDP"], dns.Ports.Select(p => $"{p.Port.ToInt()}/{p.Protocol}").Order(StringComparer.Ordinal));
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task The_API_reaches_public_addresses_on_web_ports_but_no_private_range_or_metadata_service(string kustomization)
    {
        var policy = Policy(await Kustomize.RenderAsync(kustomization), "vexaa-api");

        var wide = policy.Spec.Egress.Where(r => r.To?.Any(p => p.IpBlock?.Cidr.EndsWith("/0", StringComparison.Ordinal) == true) == true).ToList();
        var web = Assert.Single(wide);
        Assert.Equal([80, 443], web.Ports.Select(p => p.Port.ToInt()).Order());
        Assert.Equal(["0.0.0.0/0", "::/0"], web.To.Select(p => p.IpBlock.Cidr).Order(StringComparer.Ordinal));
        foreach (var address in Forbidden.Select(IPAddress.Parse))
        {
            Assert.False(web.To.Any(p => Allows(p.IpBlock, address)), $"Webhooks may reach {address}");
        }

        Assert.True(web.To.Any(p => Allows(p.IpBlock, IPAddress.Parse("203.0.113.7"))), "Public addresses are not reachable");
        Assert.Contains(policy.Spec.Egress, r => r.Ports?.Any(p => p.Port.ToInt() == 3306) == true);
        Assert.Contains(policy.Spec.Egress, r => r.Ports?.Any(p => p.Port.ToInt() == 6379) == true);
        // Connections come from the ingress controller's namespace only, to the API port.
        var ingress = Assert.Single(policy.Spec.Ingress);
        Assert.Equal("ingress-nginx", Assert.Single(ingress.FromProperty).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(8080, Assert.Single(ingress.Ports).Port.ToInt());
    }

    [Fact(Timeout = 60_000)]
    public async Task In_minikube_VExAA_reaches_MariaDB_and_Redis_and_nothing_else_does()
    {
        var m = await Kustomize.RenderAsync(Kustomize.Minikube);
        var vexaaPods = new[] { "vexaa-api", "vexaa-worker" }.Select(n => m.Workload(n).Template.Metadata.Labels).ToList();
        foreach (var name in new[] { "vexaa-mariadb", "vexaa-redis" })
        {
            var target = m.Workload(name);
            var port = target.Containers.Single().Ports.Single().ContainerPort;
            foreach (var role in new[] { "vexaa-api", "vexaa-worker" })
            {
                Assert.Contains(Policy(m, role).Spec.Egress, rule =>
                    rule.To?.Any(peer => peer.NamespaceSelector is null && Manifests.Selects(peer.PodSelector, target.Template.Metadata.Labels)) == true
                    && rule.Ports.Any(p => p.Port.ToInt() == port));
            }

            var own = Assert.Single(m.All<V1NetworkPolicy>(), p => Manifests.Selects(p.Spec.PodSelector, target.Template.Metadata.Labels));
            Assert.Equal(["Ingress", "Egress"], own.Spec.PolicyTypes);
            Assert.Empty(own.Spec.Egress ?? []);
            var rule = Assert.Single(own.Spec.Ingress);
            Assert.Equal(port, Assert.Single(rule.Ports).Port.ToInt());
            Assert.All(vexaaPods, labels => Assert.Contains(rule.FromProperty, peer => peer.NamespaceSelector is null && Manifests.Selects(peer.PodSelector, labels)));
            // Besides VExAA's pods only KEDA's namespace (its MySQL scaler), and only for the database.
            Assert.All(rule.FromProperty.Where(peer => peer.PodSelector is null), peer =>
                Assert.Equal(("vexaa-mariadb", "keda"), (name, peer.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"])));
            Assert.All(rule.FromProperty.Where(peer => peer.PodSelector is not null), peer => Assert.Equal("vexaa", peer.PodSelector.MatchLabels["app.kubernetes.io/name"]));
        }
    }

    private static V1NetworkPolicy Policy(Manifests m, string name) => Assert.Single(m.All<V1NetworkPolicy>(), p => p.Metadata.Name == name);

    private static bool IsDns(V1NetworkPolicyEgressRule rule) => rule.Ports?.Any(p => p.Port.ToInt() == 53) == true;

    private static bool Allows(V1IPBlock? block, IPAddress address) =>
        block is not null && IPNetwork.Parse(block.Cidr).Contains(address) && !(block.Except ?? []).Any(e => IPNetwork.Parse(e).Contains(address));
}
