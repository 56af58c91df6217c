using System.Text;
using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>What a container's environment holds, from its ConfigMaps, Secrets and own entries.</summary>
public sealed partial class Manifests
{
    /// <summary>
    /// A Secret the overlay expects to be created out of band (production): documented by a NAME.example.env file in the
    /// overlay, whose keys stand in for the Secret's.
    /// </summary>
    public string OutOfBandExample(string secretName) => Path.Combine(Directory, secretName + ".example.env");

    public IDictionary<string, string>? ConfigMapData(string name) =>
        All<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name)?.Data;

    private static string? Lookup(IDictionary<string, string>? data, string key) =>
        data is not null && data.TryGetValue(key, out var value) ? value : null;

    public IDictionary<string, string>? SecretData(string name)
    {
        if (All<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name) is { } secret)
        {
            var data = new Dictionary<string, string>();
            foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                data[key] = Encoding.UTF8.GetString(value);
            }

            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
            {
                data[key] = value;
            }

            return data;
        }

        return File.Exists(OutOfBandExample(name)) ? ReadEnvFile(OutOfBandExample(name)) : null;
    }

    /// <summary>The variables a container starts with: envFrom sources in order, then env entries, which win.</summary>
    public Dictionary<string, string> Environment(V1Container container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var data = source.ConfigMapRef is { } c ? ConfigMapData(c.Name) : source.SecretRef is { } s ? SecretData(s.Name) : null;
            foreach (var (key, value) in data ?? new Dictionary<string, string>())
            {
                environment[(source.Prefix ?? "") + key] = value;
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            var value = variable.Value
                ?? (variable.ValueFrom?.ConfigMapKeyRef is { } c ? Lookup(ConfigMapData(c.Name), c.Key) : null)
                ?? (variable.ValueFrom?.SecretKeyRef is { } s ? Lookup(SecretData(s.Name), s.Key) : null);
            environment[variable.Name] = value ?? "";
        }

        return environment;
    }

    /// <summary>Every configuration key written anywhere: ConfigMaps, Secrets, out-of-band examples and env entries.</summary>
    public IEnumerable<(string Where, string Key)> AllVariableNames()
    {
        foreach (var map in All<V1ConfigMap>())
        {
            foreach (var key in map.Data?.Keys ?? [])
            {
                yield return ($"ConfigMap {map.Metadata.Name}", key);
            }
        }

        foreach (var secret in All<V1Secret>())
        {
            foreach (var key in (secret.StringData?.Keys ?? []).Concat(secret.Data?.Keys ?? []))
            {
                yield return ($"Secret {secret.Metadata.Name}", key);
            }
        }

        foreach (var example in System.IO.Directory.GetFiles(Directory, "*.example.env"))
        {
            foreach (var key in ReadEnvFile(example).Keys)
            {
                yield return (Path.GetFileName(example), key);
            }
        }

        foreach (var workload in Workloads)
        {
            foreach (var container in workload.Containers)
            {
                foreach (var variable in container.Env ?? [])
                {
                    yield return ($"{workload.Kind} {workload.Name}/{container.Name}", variable.Name);
                }
            }
        }
    }

    /// <summary>The KEY=VALUE lines of a file for 'kubectl create secret generic --from-env-file'.</summary>
    public static Dictionary<string, string> ReadEnvFile(string path) =>
        File.ReadAllLines(path)
            .Where(line => line.Trim() is { Length: > 0 } trimmed && !trimmed.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts.Length > 1 ? parts[1] : "");
}
