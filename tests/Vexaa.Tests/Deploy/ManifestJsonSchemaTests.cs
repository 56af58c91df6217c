using System.Text.Json.Nodes;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Every rendered document of both overlays against the Kubernetes and KEDA JSON schemas (types, enums, required
/// fields), in addition to the strict deserialisation of <see cref="ManifestSchemaTests"/> (which catches unknown fields).
/// </summary>
public sealed class ManifestJsonSchemaTests
{
    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public async Task Every_rendered_document_matches_the_Kubernetes_or_KEDA_schema_of_its_kind(string overlay)
    {
        var m = await Kustomize.RenderAsync(overlay);
        var documents = JsonSchemas.Documents(m.Text);

        var reports = await JsonSchemas.ValidateAsync(documents);

        Assert.True(documents.Count >= 10, $"{overlay} rendered only {documents.Count} documents");
        Assert.Empty(reports.Where(r => r.Errors.Count > 0).Select(r => $"{r.Kind} '{r.Name}': {string.Join("; ", r.Errors)}"));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_wrong_type_or_enum_value_in_a_rendered_document_fails_the_schema_check()
    {
        var documents = JsonSchemas.Documents((await Kustomize.RenderAsync(Kustomize.Production)).Text);
        var deployment = Find(documents, "Deployment", "vexaa-api");
        deployment["spec"]!["replicas"] = "three";
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["imagePullPolicy"] = "Sometimes";
        Find(documents, "ScaledObject", "vexaa-worker")["spec"]!["minReplicaCount"] = "two";
        Find(documents, "NetworkPolicy", "vexaa-worker")["spec"]!["policyTypes"] = new JsonArray("Ingress", "Sideways");
        documents.Add(JsonNode.Parse("""{"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "unknown"}}"""));

        var errors = (await JsonSchemas.ValidateAsync(documents)).SelectMany(r => r.Errors.Select(e => $"{r.Kind} {r.Name} {e}")).ToList();

        Assert.Contains(errors, e => e.Contains("vexaa-api /spec/replicas: must be integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("vexaa-api /spec/template/spec/containers/0/imagePullPolicy", StringComparison.Ordinal) && e.Contains("IfNotPresent", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ScaledObject vexaa-worker /spec/minReplicaCount: must be integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("NetworkPolicy vexaa-worker /spec/policyTypes/1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("no schema for example.com/v1/Gadget", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void Plain_YAML_numbers_and_booleans_become_JSON_numbers_and_booleans_and_quoted_ones_stay_strings()
    {
        var d = JsonSchemas.Documents("a: 3\nb: \"3\"\nc: true\nd: 'true'\ne: 1.5\nf: 250m\ng: ~\nh: 0755x\n")[0]!;

        Assert.Equal("""{"a":3,"b":"3","c":true,"d":"true","e":1.5,"f":"250m","g":null,"h":"0755x"}""", d.ToJsonString());
    }

    private static JsonNode Find(List<JsonNode?> documents, string kind, string name) =>
        documents.Single(d => (string?)d?["kind"] == kind && (string?)d?["metadata"]?["name"] == name)!;
}
