using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vexaa.Data;
using Vexaa.Server.Hosting;
using Vexaa.Jobs;

namespace Vexaa.Tests.Deploy;

/// <summary>The rendered manifests are what the Kubernetes API and VExAA would accept (no cluster here: models and reflection).</summary>
public sealed class ManifestSchemaTests
{
    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.All), MemberType = typeof(Kustomize))]
    public async Task Every_document_fits_the_model_of_its_kind(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        Assert.True(m.Problems.Count == 0, string.Join("\n", m.Problems));
        Assert.NotEmpty(m.Objects);
        foreach (var o in m.Objects)
        {
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", o.Metadata?.Name ?? "");
        }

        var duplicates = m.Objects.GroupBy(o => $"{o.Kind}/{o.Metadata.Name}").Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
        Assert.Empty(RequiredFields.Missing(m));
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.All), MemberType = typeof(Kustomize))]
    public async Task Every_Vexaa_variable_names_a_real_setting(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        var wrong = m.AllVariableNames()
            .Where(v => v.Key.StartsWith("vexaa", StringComparison.OrdinalIgnoreCase) && !SettingNames.IsSetting(v.Key))
            .Select(v => $"{v.Where}: {v.Key}")
            .ToList();
        Assert.True(wrong.Count == 0, "Not VExAA settings (see the XxxOptions classes):\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Setting_names_come_from_the_options_classes()
    {
        Assert.Contains("Vexaa__Workers__ShutdownGraceSeconds", SettingNames.Reflected);
        Assert.Contains("Vexaa__Database__ConnectionString", SettingNames.Reflected);
        Assert.Contains("Vexaa__Webhooks__AllowPrivateNetworks", SettingNames.Reflected);
        Assert.Contains("Vexaa__Storage__S3__UseChunkEncoding", SettingNames.Reflected);
        Assert.Contains("Vexaa__Redis__Configuration", SettingNames.Reflected);
        Assert.DoesNotContain("Vexaa__Workers__EffectiveCount", SettingNames.Reflected);
        Assert.DoesNotContain("Vexaa__Workers", SettingNames.Reflected);
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Settings_bind_and_pass_VExAAs_own_validation(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);

        foreach (var container in m.Workloads.SelectMany(w => w.Containers).Where(Manifests.IsVexaa))
        {
            var settings = m.Environment(container)
                .Where(e => e.Key.StartsWith("Vexaa__", StringComparison.Ordinal) && !SettingNames.IsReadElsewhere(e.Key))
                .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            // Every key must be one the options classes bind: a misspelt one would silently keep its default.
            Assert.All(configuration.GetSection(Vexaa.Settings.Root).GetChildren(), c => Assert.Contains(c.Path, VexaaSettings.Sections.Select(s => s.Path).Append("Vexaa:DataDirectory")));
            foreach (var section in VexaaSettings.Sections.Where(s => s.Path != Vexaa.Settings.Root))
            {
                configuration.GetSection(section.Path).Get(section.Type, o => o.ErrorOnUnknownConfiguration = true);
            }

            using var services = new ServiceCollection().AddLogging().AddVexaaCore(configuration).BuildServiceProvider();
            var problems = Record.Exception(() => VexaaSettings.ThrowIfInvalid(services)) is OptionsValidationException e ? e.Failures : [];
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;

            Assert.Empty(problems);
            // Several pods share one database: the embedded SQLite cannot be shared, and the connection string is a Secret.
            Assert.Equal("mysql", database.Provider);
            Assert.False(string.IsNullOrWhiteSpace(database.ConnectionString), $"{container.Name}: no database connection string");
        }
    }

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task The_worker_autoscaler_is_a_complete_KEDA_ScaledObject(string kustomization)
    {
        var m = await Kustomize.RenderAsync(kustomization);
        var scaled = Assert.Single(m.CustomOfKind("ScaledObject"));

        var allowed = new[] { "scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "advanced", "fallback", "triggers" };
        Assert.All(((IDictionary<object, object>)scaled.At("spec")!).Keys, key => Assert.Contains((string)key, allowed));
        var worker = m.Workload((string)scaled.At("spec", "scaleTargetRef", "name")!);
        Assert.Equal("Deployment", worker.Kind);
        Assert.InRange(Number(scaled.At("spec", "minReplicaCount")), 0, Number(scaled.At("spec", "maxReplicaCount")));
        // The HPA behaviour KEDA passes on must be a valid autoscaling/v2 behaviour.
        var behavior = scaled.At("spec", "advanced", "horizontalPodAutoscalerConfig", "behavior");
        KubernetesYaml.Deserialize<V2HorizontalPodAutoscalerBehavior>(KubernetesYaml.Serialize(behavior!), strict: true);

        var trigger = (IDictionary<object, object>)Assert.Single((IList<object>)scaled.At("spec", "triggers")!);
        Assert.Equal("mysql", trigger["type"]);
        var metadata = (IDictionary<object, object>)trigger["metadata"];
        var query = (string)metadata["query"];
        Assert.StartsWith("SELECT COUNT(*) FROM jobs WHERE state", query);
        // The states it counts are ones the queue really writes.
        Assert.All(System.Text.RegularExpressions.Regex.Matches(query, "'([^']*)'"), s => Assert.Contains(s.Groups[1].Value, JobState.All));
        Assert.True(Number(metadata["queryValue"]) > 0);

        var authName = (string)((IDictionary<object, object>)trigger["authenticationRef"])["name"];
        var auth = Assert.Single(m.CustomOfKind("TriggerAuthentication"), a => a.Name == authName);
        foreach (IDictionary<object, object> reference in (IList<object>)auth.At("spec", "secretTargetRef")!)
        {
            Assert.Contains((string)reference["parameter"], new[] { "connectionString", "host", "port", "username", "password", "dbName" });
            var secret = m.SecretData((string)reference["name"]);
            Assert.True(secret?.ContainsKey((string)reference["key"]) == true, $"KEDA reads {reference["name"]}/{reference["key"]}, which does not exist");
        }
    }

    private static double Number(object? value) => double.Parse(Assert.IsType<string>(value), CultureInfo.InvariantCulture);
}
