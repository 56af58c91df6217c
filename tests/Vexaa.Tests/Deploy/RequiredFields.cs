using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Fields the Kubernetes API requires (and the rules it enforces on create) that KubernetesClient's models do not:
/// they deserialise a Deployment without a selector just as happily. Only the kinds and fields these manifests use.
/// </summary>
public static class RequiredFields
{
    public static IEnumerable<string> Missing(Manifests m)
    {
        foreach (var w in m.Workloads)
        {
            var where = $"{w.Kind} {w.Name}";
            if (!Manifests.Selects(w.Selector, w.Template.Metadata?.Labels)) yield return $"{where}: the selector does not select its own pod template";
            if (w.Containers is not { Count: > 0 }) yield return $"{where}: no containers";
            foreach (var c in w.Containers ?? [])
            {
                if (string.IsNullOrEmpty(c.Name) || string.IsNullOrEmpty(c.Image)) yield return $"{where}: a container without a name or image";
                if (c.Ports?.Any(p => p.ContainerPort is <= 0 or > 65535) == true) yield return $"{where}/{c.Name}: a port out of range";
                if (c.Ports?.GroupBy(p => p.Name).Any(g => g.Key is not null && g.Count() > 1) == true) yield return $"{where}/{c.Name}: port names repeat";
            }
        }

        foreach (var s in m.All<V1StatefulSet>())
        {
            if (string.IsNullOrEmpty(s.Spec.ServiceName)) yield return $"StatefulSet {s.Metadata.Name}: no serviceName";
            foreach (var claim in s.Spec.VolumeClaimTemplates ?? [])
            {
                if (claim.Spec?.AccessModes is not { Count: > 0 } || claim.Spec.Resources?.Requests?.ContainsKey("storage") != true)
                    yield return $"StatefulSet {s.Metadata.Name}: claim template {claim.Metadata?.Name} needs accessModes and a storage request";
            }
        }

        foreach (var pvc in m.All<V1PersistentVolumeClaim>())
        {
            if (pvc.Spec?.AccessModes is not { Count: > 0 } || pvc.Spec.Resources?.Requests?.ContainsKey("storage") != true)
                yield return $"PersistentVolumeClaim {pvc.Metadata.Name}: needs accessModes and a storage request";
        }

        foreach (var service in m.All<V1Service>())
        {
            var where = $"Service {service.Metadata.Name}";
            if (service.Spec.Type == "ExternalName")
            {
                if (string.IsNullOrEmpty(service.Spec.ExternalName)) yield return $"{where}: ExternalName without externalName";
            }
            else if (service.Spec.Ports is not { Count: > 0 } || service.Spec.Ports.Any(p => p.Port is <= 0 or > 65535))
            {
                yield return $"{where}: needs ports";
            }
        }

        foreach (var ingress in m.All<V1Ingress>())
        {
            foreach (var path in ingress.Spec.Rules?.SelectMany(r => r.Http?.Paths ?? []) ?? [])
            {
                if (path.PathType is not ("Prefix" or "Exact" or "ImplementationSpecific") || path.Backend is null)
                    yield return $"Ingress {ingress.Metadata.Name}: path {path.Path} needs a pathType and a backend";
            }
        }

        foreach (var pdb in m.All<V1PodDisruptionBudget>())
        {
            if (pdb.Spec.Selector is null || (pdb.Spec.MinAvailable is null) == (pdb.Spec.MaxUnavailable is null))
                yield return $"PodDisruptionBudget {pdb.Metadata.Name}: needs a selector and one of minAvailable/maxUnavailable";
        }

        foreach (var policy in m.All<V1NetworkPolicy>())
        {
            if (policy.Spec.PodSelector is null) yield return $"NetworkPolicy {policy.Metadata.Name}: no podSelector";
        }
    }
}
