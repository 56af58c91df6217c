using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Serialization;

namespace Vexaa.Tests.Deploy;

/// <summary>A Deployment or StatefulSet: what owns a pod template.</summary>
public sealed record Workload(string Kind, string Name, V1LabelSelector Selector, V1PodTemplateSpec Template)
{
    public IList<V1Container> Containers => Template.Spec.Containers;
}

/// <summary>A custom resource (KEDA's), which KubernetesClient has no model for: its YAML tree, checked by hand.</summary>
public sealed record CustomObject(string ApiVersion, string Kind, string Name, IDictionary<object, object> Tree)
{
    /// <summary>The value at a path of map keys ("spec", "scaleTargetRef", "name"), or null.</summary>
    public object? At(params string[] path)
    {
        object? node = Tree;
        foreach (var key in path)
        {
            node = node is IDictionary<object, object> map && map.TryGetValue(key, out var next) ? next : null;
        }

        return node;
    }
}

/// <summary>One rendered kustomization, every document deserialised strictly into KubernetesClient's model of its kind.</summary>
public sealed partial class Manifests
{
    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/Service"] = typeof(V1Service),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["apps/v1/StatefulSet"] = typeof(V1StatefulSet),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["networking.k8s.io/v1/Ingress"] = typeof(V1Ingress),
    };

    private static readonly HashSet<string> CustomKinds = ["keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication"];

    private Manifests(string name, string directory, string text) => (Name, Directory, Text) = (name, directory, text);

    /// <summary>The kustomization, relative to deploy/k8s.</summary>
    public string Name { get; }

    public string Directory { get; }

    /// <summary>The rendered YAML as kubectl printed it.</summary>
    public string Text { get; }

    public List<IKubernetesObject<V1ObjectMeta>> Objects { get; } = [];
    public List<CustomObject> Custom { get; } = [];

    /// <summary>Documents that did not deserialise, or of a kind nobody expects here.</summary>
    public List<string> Problems { get; } = [];

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public IEnumerable<Workload> Workloads =>
        All<V1Deployment>().Select(d => new Workload("Deployment", d.Metadata.Name, d.Spec.Selector, d.Spec.Template))
            .Concat(All<V1StatefulSet>().Select(s => new Workload("StatefulSet", s.Metadata.Name, s.Spec.Selector, s.Spec.Template)));

    public Workload Workload(string name) => Assert.Single(Workloads, w => w.Name == name);

    public IEnumerable<CustomObject> CustomOfKind(string kind) => Custom.Where(c => c.Kind == kind);

    public static Manifests Parse(string yaml, string name, string directory)
    {
        var manifests = new Manifests(name, directory, yaml);
        var generic = new DeserializerBuilder().Build();
        foreach (var document in DocumentSeparator().Split(yaml).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            var tree = generic.Deserialize<Dictionary<object, object>>(document);
            var apiVersion = tree.GetValueOrDefault("apiVersion") as string;
            var kind = tree.GetValueOrDefault("kind") as string;
            var objectName = tree.GetValueOrDefault("metadata") is IDictionary<object, object> metadata && metadata.TryGetValue("name", out var n) ? n as string : null;
            var key = $"{apiVersion}/{kind}";
            if (CustomKinds.Contains(key))
            {
                manifests.Custom.Add(new CustomObject(apiVersion!, kind!, objectName ?? "", tree));
            }
            else if (Kinds.TryGetValue(key, out var type))
            {
                try
                {
                    manifests.Objects.Add((IKubernetesObject<V1ObjectMeta>)KubernetesYaml.LoadAllFromString(document, Kinds, strict: true).Single());
                }
                catch (Exception e)
                {
                    manifests.Problems.Add($"{kind} '{objectName}' does not fit {type.Name}: {e.Message} {e.InnerException?.Message}");
                }
            }
            else
            {
                manifests.Problems.Add($"'{objectName}' is of an unexpected kind {key}; add it to the checks in {nameof(Manifests)}.");
            }
        }

        return manifests;
    }

    /// <summary>Whether a selector (matchLabels only, as every selector here is) picks pods with these labels.</summary>
    public static bool Selects(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        Assert.True(selector?.MatchExpressions is null or { Count: 0 }, "The checks understand matchLabels only.");
        return selector?.MatchLabels is { Count: > 0 } wanted && labels is not null
            && wanted.All(w => labels.TryGetValue(w.Key, out var value) && value == w.Value);
    }

    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        Selects(new V1LabelSelector { MatchLabels = selector }, labels);

    /// <summary>The container port a probe, service or policy port names (by name or by number), or null.</summary>
    public static V1ContainerPort? Port(V1Container container, IntOrString? port) =>
        port?.Value is not { } value ? null
        : container.Ports?.FirstOrDefault(p => int.TryParse(value, out var number) ? p.ContainerPort == number : p.Name == value);

    /// <summary>VExAA's own containers, whatever registry and tag an overlay gives the image.</summary>
    public static bool IsVexaa(V1Container container) =>
        container.Image.Split('/')[^1].Split(':', '@')[0] == "vexaa";

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
