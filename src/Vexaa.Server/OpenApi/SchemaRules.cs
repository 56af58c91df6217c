using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Server.Jobs;

namespace Vexaa.Server.OpenApi;

/// <summary>Corrections to the schemas the framework derives from the DTOs.</summary>
internal static class SchemaRules
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        StrictNumbers(schema);
        if (context.JsonPropertyInfo is { } property)
        {
            var owner = property.DeclaringType;
            var values = (owner, property.Name) switch
            {
                _ when owner == typeof(JobDto) && property.Name == "status" => JobState.All,
                _ when owner == typeof(JobDto) && property.Name == "phase" => JobPhase.All,
                _ when owner == typeof(JobOptions) && property.Name == "format" => AudioFormats.Names,
                _ when owner == typeof(JobOptions) && property.Name == "normalize" => LoudnessTarget.All.Select(t => t.Name),
                _ => null,
            };
            if (values is not null)
            {
                var nullable = schema.Type?.HasFlag(JsonSchemaType.Null) == true;
                schema.Enum = [.. values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v))];
                if (nullable)
                {
                    schema.Enum.Add(null!);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The web JSON defaults let numbers be read from strings, so the framework types every number "number | string" with a
    /// pattern. The API always writes numbers as numbers, and clients must send them so: the document says exactly that.
    /// </summary>
    public static void StrictNumbers(OpenApiSchema schema)
    {
        // Route constraints ({index:int}) already make the type integer but leave the string pattern behind.
        if (schema.Type is { } type && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }
}
