using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vexaa.Server;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.OpenApi;

/// <summary>/openapi/v1.json as the contract third-party tools read: a linter, generated clients, and every route described.</summary>
public sealed partial class OpenApiDocumentTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private ServerProcess Server => shared.Server;

    private async Task<string> DocumentAsync()
    {
        using var anonymous = Server.Client();
        return await anonymous.GetStringAsync("/openapi/v1.json");
    }

    private async Task<string> SaveDocumentAsync(TempDir dir)
    {
        var path = Path.Combine(dir.Path, "openapi.json");
        await File.WriteAllTextAsync(path, await DocumentAsync());
        return path;
    }

    [Fact(Timeout = 180_000)]
    public async Task The_document_passes_redocly_lint_with_the_recommended_rules_and_no_errors()
    {
        using var dir = new TempDir();
        var document = await SaveDocumentAsync(dir);
        var cli = Path.Combine(JsPackages.Require("@redocly/cli"), "bin", "cli.js");

        var r = await Proc.RunAsync("node", [cli, "lint", document, "--extends=recommended", "--format=stylish"], JsPackages.Directory,
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        Assert.True(r.ExitCode == 0, $"redocly lint failed:\n{r.Stdout}\n{r.Stderr}");
        Assert.DoesNotMatch(@"\berror\b", Regex.Replace(r.Stdout + r.Stderr, "0 errors?", ""));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_typescript_client_generated_from_the_document_compiles_and_converts_a_file()
    {
        using var dir = new TempDir();
        var document = await SaveDocumentAsync(dir);
        var client = Path.Combine(JsPackages.Directory, "openapi-client");
        var generate = await Proc.RunAsync("node", [Path.Combine(JsPackages.Require("openapi-typescript"), "bin", "cli.js"), document, "-o", Path.Combine(client, "api.d.ts")], JsPackages.Directory);
        Assert.True(generate.ExitCode == 0, generate.Stderr);

        var compile = await Proc.RunAsync("node", [Path.Combine(JsPackages.Require("typescript"), "bin", "tsc"), "-p", client], JsPackages.Directory);
        Assert.True(compile.ExitCode == 0, $"tsc rejected the typed client:\n{compile.Stdout}{compile.Stderr}");

        var input = Path.Combine(dir.Path, "talk.mp4");
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "2", "-c:v", "mpeg4", "-c:a", "aac", "-shortest", input);
        var output = Path.Combine(dir.Path, "talk.mp3");
        var run = await Proc.RunAsync("node", [Path.Combine(client, "out", "job.js"), Server.BaseAddress.ToString().TrimEnd('/'), Server.AdminKey, input, output], client);
        Assert.True(run.ExitCode == 0, $"the generated client failed:\n{run.Stdout}{run.Stderr}");

        using var said = JsonDocument.Parse(run.Stdout.Trim().Split('\n')[^1]);
        Assert.Equal("succeeded", said.RootElement.GetProperty("status").GetString());
        Assert.Equal("audio/mpeg", said.RootElement.GetProperty("contentType").GetString());
        var probed = await Proc.ProbeAsync(output);
        Assert.Equal("mp3", probed.Codec);
        Assert.Equal(1, probed.Channels);
        Assert.InRange(probed.Duration, 1.8, 2.3);
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_route_the_server_maps_has_an_operation_id_a_summary_and_a_description()
    {
        using var data = new TempDir();
        await using var app = VexaaServer.Build(new Dictionary<string, string?> { ["Vexaa:DataDirectory"] = data.Path });
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .ToList();
        using var document = JsonDocument.Parse(await DocumentAsync());
        var paths = document.RootElement.GetProperty("paths");

        var missing = new List<string>();
        var described = 0;
        foreach (var endpoint in endpoints)
        {
            var path = "/" + Constraint().Replace(endpoint.RoutePattern.RawText!.Trim('/'), "}");
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods)
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
                {
                    missing.Add($"{method} {path}: not in the document");
                    continue;
                }

                foreach (var field in new[] { "operationId", "summary", "description" })
                {
                    if (!operation.TryGetProperty(field, out var value) || string.IsNullOrWhiteSpace(value.GetString()))
                    {
                        missing.Add($"{method} {path}: no {field}");
                    }
                }

                described++;
            }
        }

        Assert.True(missing.Count == 0, "Routes not fully described (add them to src/Vexaa.Server/OpenApi/OperationCatalog*.cs):\n" + string.Join('\n', missing));
        Assert.True(described >= 20, $"only {described} routes were found");
    }

    [GeneratedRegex(":[^}]*}")]
    private static partial Regex Constraint();
}
