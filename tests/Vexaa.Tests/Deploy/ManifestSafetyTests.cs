using System.Globalization;
using k8s.Models;
using Vexaa.Data;

namespace Vexaa.Tests.Deploy;

/// <summary>Limits, privileges, shutdown, disruption and network reach of what the overlays run.</summary>
public sealed class ManifestSafetyTests
{
    /// <summary>What the host adds to ShutdownGraceSeconds before it gives up stopping (VexaaServer: ShutdownTimeout).</summary>
    private const int HostStopMarginSeconds = 10;

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Every_container_has_resource_requests_and_limits(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var (workload, container) in m.Workloads.SelectMany(w => w.Containers.Select(c => (w, c))))
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                ResourceQuantity? request = null, limit = null;
                container.Resources?.Requests?.TryGetValue(resource, out request);
                container.Resources?.Limits?.TryGetValue(resource, out limit);
                Assert.True(request is not null && limit is not null, $"{workload.Name}/{container.Name}: {resource} request and limit");
                Assert.True(request.ToDecimal() <= limit.ToDecimal(), $"{workload.Name}/{container.Name}: {resource} request above limit");
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Every_pod_runs_as_non_root_on_a_read_only_root_without_capabilities(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var workload in m.Workloads)
        {
            var pod = workload.Template.Spec.SecurityContext;
            Assert.True(pod?.RunAsNonRoot == true && pod.RunAsUser > 0, $"{workload.Name}: runAsNonRoot with a non-zero runAsUser");
            foreach (var container in workload.Containers)
            {
                var c = container.SecurityContext;
                var where = $"{workload.Name}/{container.Name}";
                Assert.True(c?.ReadOnlyRootFilesystem == true, $"{where}: readOnlyRootFilesystem");
                Assert.True(c?.AllowPrivilegeEscalation == false, $"{where}: allowPrivilegeEscalation false");
                Assert.True(c?.Capabilities?.Drop?.Contains("ALL") == true && c.Capabilities.Add is null or { Count: 0 }, $"{where}: drop ALL capabilities");
                Assert.True(c?.Privileged != true && c?.RunAsUser is null or > 0, $"{where}: neither privileged nor root");
            }

            // VExAA writes only to its data folder and /tmp, so both must be volumes.
            foreach (var container in workload.Containers.Where(Manifests.IsVexaa))
            {
                var data = m.Environment(container).GetValueOrDefault("Vexaa__DataDirectory", new DataOptions().DataDirectory);
                var mounts = (container.VolumeMounts ?? []).Select(v => v.MountPath).ToList();
                Assert.Contains(data, mounts);
                Assert.Contains("/tmp", mounts);
            }
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Pods_are_given_longer_to_stop_than_running_jobs_are(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var workload in m.Workloads.Where(w => w.Containers.Any(Manifests.IsVexaa)))
        {
            var container = workload.Containers.Single(Manifests.IsVexaa);
            var grace = m.Environment(container).TryGetValue("Vexaa__Workers__ShutdownGraceSeconds", out var value)
                ? double.Parse(value, CultureInfo.InvariantCulture)
                : new Vexaa.Jobs.WorkersOptions().ShutdownGraceSeconds;
            // The preStop hook runs inside the termination grace period, before SIGTERM.
            var preStop = container.Lifecycle?.PreStop?.Exec?.Command is ["sleep", var seconds] ? int.Parse(seconds, CultureInfo.InvariantCulture) : 0;
            var period = workload.Template.Spec.TerminationGracePeriodSeconds ?? 30;
            Assert.True(period > preStop + grace + HostStopMarginSeconds,
                $"{workload.Name}: terminationGracePeriodSeconds {period} must exceed preStop {preStop} s + ShutdownGraceSeconds {grace} + {HostStopMarginSeconds} s");
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(ManifestWiringTests.WithWorkloads), MemberType = typeof(ManifestWiringTests))]
    public async Task Each_VExAA_deployment_has_one_disruption_budget(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var deployment in m.All<V1Deployment>())
        {
            Assert.Single(m.All<V1PodDisruptionBudget>(), b => Manifests.Selects(b.Spec.Selector, deployment.Spec.Template.Metadata.Labels));
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task The_worker_autoscaler_owns_the_replica_count_and_targets_a_pods_jobs(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var scaled = Assert.Single(m.CustomOfKind("ScaledObject"));
        var worker = m.All<V1Deployment>().Single(d => d.Metadata.Name == (string)scaled.At("spec", "scaleTargetRef", "name")!);

        // An apply must not reset what the autoscaler chose.
        Assert.Null(worker.Spec.Replicas);
        var perPod = m.Environment(worker.Spec.Template.Spec.Containers.Single(Manifests.IsVexaa))["Vexaa__Workers__Count"];
        var trigger = (IDictionary<object, object>)((IList<object>)scaled.At("spec", "triggers")!)[0];
        Assert.Equal(perPod, ((IDictionary<object, object>)trigger["metadata"])["queryValue"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_minikube_overlay_runs_as_it_is()
    {
        var m = await Kustomize.RenderAsync(Kustomize.Minikube);

        Assert.DoesNotContain("CHANGE-ME", m.Text);
        // Local storage on several pods works only if they all mount one shared volume.
        var claims = m.All<V1Deployment>().Select(d => d.Spec.Template.Spec.Volumes.Single(v => v.Name == "data").PersistentVolumeClaim?.ClaimName).Distinct().ToList();
        var claim = Assert.Single(claims);
        Assert.Contains("ReadWriteMany", m.All<V1PersistentVolumeClaim>().Single(p => p.Metadata.Name == claim).Spec.AccessModes);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_production_overlay_keeps_secrets_and_databases_out()
    {
        var m = await Kustomize.RenderAsync(Kustomize.Production);

        Assert.Empty(m.All<V1Secret>());
        Assert.Empty(m.All<V1StatefulSet>());
        Assert.True(m.All<V1Deployment>().Single(d => d.Metadata.Name == "vexaa-api").Spec.Replicas > 1);
        // Uploads in progress and cookie keys are shared through S3 and the database: API pods need no shared volume.
        Assert.Empty(m.All<V1PersistentVolumeClaim>());
        Assert.All(m.All<V1Deployment>(), d => Assert.NotNull(d.Spec.Template.Spec.Volumes.Single(v => v.Name == "data").EmptyDir));
    }
}
