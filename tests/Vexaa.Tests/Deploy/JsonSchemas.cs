using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vexaa.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Checks documents against the Kubernetes and KEDA JSON schemas with tests/js/validate-k8s.mjs (npm kubernetes-models
/// and @kubernetes-models/keda, pinned in tests/js). The YAML is turned into JSON here with YAML's own typing rules
/// (an unquoted 3 is a number, a quoted "3" a string), so a wrong type in a manifest stays wrong on the way to the schema.
/// </summary>
public static class JsonSchemas
{
    public sealed record Report(int Index, string Kind, string? Name, List<string> Errors);

    public static async Task<List<Report>> ValidateAsync(IReadOnlyList<JsonNode?> documents)
    {
        JsPackages.Require("kubernetes-models");
        JsPackages.Require("@kubernetes-models/keda");
        var info = new ProcessStartInfo("node", ["validate-k8s.mjs"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = JsPackages.Directory,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(new JsonArray([.. documents.Select(d => d?.DeepClone())]).ToJsonString());
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var reports = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<Report>(line, JsonSerializerOptions.Web)!).ToList();
        Assert.True(reports.Count == documents.Count, $"validate-k8s.mjs answered {reports.Count} of {documents.Count} documents: {await stderr}");
        return reports;
    }

    /// <summary>Every document of a YAML stream, as JSON.</summary>
    public static List<JsonNode?> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode))];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    // YAML 1.2 core schema for plain (unquoted) scalars; quoted and block scalars are always strings.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when System.Text.RegularExpressions.Regex.IsMatch(text, @"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
                => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }
}
