using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>Every name and port that one object uses to reach another leads somewhere that exists.</summary>
public sealed class ManifestWiringTests
{
    public static TheoryData<string> WithWorkloads => ["base", Kustomize.Minikube, Kustomize.Production];

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(WithWorkloads))]
    public async Task Probes_use_the_health_endpoints_on_declared_ports(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var (workload, container) in m.Workloads.SelectMany(w => w.Containers.Select(c => (w, c))))
        {
            var where = $"{workload.Name}/{container.Name}";
            Assert.True(container.LivenessProbe is not null && container.ReadinessProbe is not null, $"{where}: needs liveness and readiness probes");
            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }.OfType<V1Probe>())
            {
                var port = probe.HttpGet?.Port ?? probe.TcpSocket?.Port;
                Assert.True(Manifests.Port(container, port) is not null, $"{where}: a probe uses port '{port}', which the container does not declare");
            }

            if (Manifests.IsVexaa(container))
            {
                Assert.Equal("/healthz", container.LivenessProbe!.HttpGet?.Path);
                Assert.Equal("/readyz", container.ReadinessProbe!.HttpGet?.Path);
                Assert.Equal("/healthz", container.StartupProbe?.HttpGet?.Path);
                // The probed port is the one the process is told to listen on.
                var listen = ListenPort(container);
                Assert.Equal(listen, Manifests.Port(container, container.LivenessProbe.HttpGet!.Port)!.ContainerPort);
                Assert.Equal(listen, Manifests.Port(container, container.ReadinessProbe.HttpGet!.Port)!.ContainerPort);
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(WithWorkloads))]
    public async Task VExAA_runs_as_one_image_in_an_API_role_and_a_worker_role(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var vexaa = m.Workloads.SelectMany(w => w.Containers.Where(Manifests.IsVexaa).Select(c => (Workload: w, Container: c))).ToList();

        Assert.Single(vexaa, v => v.Container.Args[0] == "serve" && v.Container.Args.Contains("--workers") && v.Workload.Name == "vexaa-api");
        Assert.Single(vexaa, v => v.Container.Args[0] == "work" && v.Workload.Name == "vexaa-worker");
        Assert.Single(vexaa.Select(v => v.Container.Image).Distinct());
        // The image's ENTRYPOINT (dotnet /app/Vexaa.Cli.dll) stays; the manifests choose the command through args.
        Assert.All(vexaa, v => Assert.Null(v.Container.Command));
        if (kustomization != "base")
        {
            Assert.Matches(@"^[^:@]+(:[\w][\w.-]*)$", vexaa[0].Container.Image);
            Assert.DoesNotContain(":latest", vexaa[0].Container.Image);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(WithWorkloads))]
    public async Task Services_select_pods_and_target_their_container_ports(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var service in m.All<V1Service>().Where(s => s.Spec.Type != "ExternalName"))
        {
            var pods = m.Workloads.Where(w => Manifests.Selects(service.Spec.Selector, w.Template.Metadata.Labels)).ToList();
            Assert.True(pods.Count > 0, $"Service {service.Metadata.Name} selects no pods");
            foreach (var port in service.Spec.Ports)
            {
                Assert.All(pods, w => Assert.True(w.Containers.Any(c => Manifests.Port(c, port.TargetPort ?? port.Port) is not null),
                    $"Service {service.Metadata.Name} targets port '{port.TargetPort}', which {w.Name} does not declare"));
            }
        }

        foreach (var set in m.All<V1StatefulSet>())
        {
            var governing = Assert.Single(m.All<V1Service>(), s => s.Metadata.Name == set.Spec.ServiceName);
            Assert.Equal("None", governing.Spec.ClusterIP);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(WithWorkloads))]
    public async Task Ingress_backends_name_existing_services_and_ports(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        var backends = m.All<V1Ingress>().SelectMany(i => i.Spec.Rules.SelectMany(r => r.Http.Paths)).Select(p => p.Backend.Service).ToList();
        Assert.NotEmpty(backends);
        foreach (var backend in backends)
        {
            var service = Assert.Single(m.All<V1Service>(), s => s.Metadata.Name == backend.Name);
            Assert.Contains(service.Spec.Ports, p => backend.Port.Name is { } name ? p.Name == name : p.Port == backend.Port.Number);
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task ConfigMaps_Secrets_and_volumes_that_pods_use_exist(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var workload in m.Workloads)
        {
            var spec = workload.Template.Spec;
            var volumes = (spec.Volumes ?? []).Select(v => v.Name)
                .Concat(m.All<V1StatefulSet>().Where(s => s.Metadata.Name == workload.Name).SelectMany(s => s.Spec.VolumeClaimTemplates ?? []).Select(t => t.Metadata.Name))
                .ToList();
            foreach (var claim in (spec.Volumes ?? []).Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>())
            {
                Assert.Contains(claim, m.All<V1PersistentVolumeClaim>().Select(p => p.Metadata.Name));
            }

            foreach (var container in spec.Containers)
            {
                var where = $"{workload.Name}/{container.Name}";
                Assert.All(container.VolumeMounts ?? [], mount => Assert.True(volumes.Contains(mount.Name), $"{where} mounts '{mount.Name}', which is not a volume"));
                foreach (var source in container.EnvFrom ?? [])
                {
                    Assert.True(source.ConfigMapRef is null || m.ConfigMapData(source.ConfigMapRef.Name) is not null, $"{where}: no ConfigMap {source.ConfigMapRef?.Name}");
                    Assert.True(source.SecretRef is null || m.SecretData(source.SecretRef.Name) is not null,
                        $"{where}: no Secret {source.SecretRef?.Name} (nor {Path.GetFileName(m.OutOfBandExample(source.SecretRef?.Name ?? ""))})");
                }

                foreach (var key in (container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>())
                {
                    Assert.True(m.SecretData(key.Name)?.ContainsKey(key.Key) == true, $"{where}: no key {key.Key} in Secret {key.Name}");
                }
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Connection_strings_name_services_of_the_overlay(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var api = m.Workload("vexaa-api").Containers.Single(Manifests.IsVexaa);
        var environment = m.Environment(api);

        var database = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = environment["Vexaa__Database__ConnectionString"] };
        var databasePort = database.TryGetValue("port", out var p) ? Convert.ToInt32(p) : 3306;
        AssertService(m, (string)database["server"], databasePort);
        var redis = environment["Vexaa__Redis__Configuration"].Split(',')[0].Split(':');
        AssertService(m, redis[0], int.Parse(redis[1]));
        if (kustomization == Kustomize.Minikube)
        {
            // KEDA runs in its own namespace, so its DSN names the service with its namespace.
            var dsn = m.SecretData("vexaa-keda-mysql")!["connectionString"];
            Assert.Contains($"@tcp({database["server"]}.vexaa.svc:{databasePort})/{database["database"]}", dsn);
        }
    }

    private static void AssertService(Manifests m, string host, int port)
    {
        var service = m.All<V1Service>().SingleOrDefault(s => s.Metadata.Name == host.Split('.')[0]);
        Assert.True(service is not null, $"'{host}' is not a Service of {m.Name}");
        Assert.True(service.Spec.Type == "ExternalName" || service.Spec.Ports.Any(p => p.Port == port), $"Service {host} has no port {port}");
    }

    /// <summary>The port in the URL the container is told to listen on (serve --urls, work --health-urls).</summary>
    internal static int ListenPort(V1Container container)
    {
        var flag = container.Args.ToList().FindIndex(a => a is "--urls" or "--health-urls");
        Assert.True(flag >= 0, $"{container.Name}: no --urls or --health-urls argument");
        return new Uri(container.Args[flag + 1]).Port;
    }
}
