using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>Small builders for the parts of the document the framework cannot infer (headers, binary bodies, problems).</summary>
internal static class Describe
{
    public static OpenApiSchema String(string? description = null, string? format = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format };

    public static OpenApiSchema Integer(string? description = null, long? minimum = null) => new()
    {
        Type = JsonSchemaType.Integer, Format = "int64", Description = description,
        Minimum = minimum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static OpenApiSchema Enum(IEnumerable<string> values, string? description = null) => new()
    {
        Type = JsonSchemaType.String, Description = description, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };

    public static OpenApiSchema Binary(string? description = null) => String(description, "binary");

    public static OpenApiSchemaReference Ref(string id, OpenApiDocument? document) => new(id, document);

    public static OpenApiHeader Header(string description, IOpenApiSchema? schema = null, bool required = false) =>
        new() { Description = description, Schema = schema ?? String(), Required = required };

    public static OpenApiParameter HeaderParameter(string name, string description, bool required = false, IOpenApiSchema? schema = null) =>
        new() { Name = name, In = ParameterLocation.Header, Description = description, Required = required, Schema = schema ?? String() };

    /// <summary>Sets (or replaces) the answer for a status, keeping nothing the framework guessed for it.</summary>
    public static OpenApiResponse Respond(this OpenApiOperation operation, int status, string description, string? mediaType = null, IOpenApiSchema? schema = null)
    {
        operation.Responses ??= [];
        var response = new OpenApiResponse { Description = description };
        if (mediaType is not null)
        {
            response.Content = new Dictionary<string, OpenApiMediaType> { [mediaType] = new() { Schema = schema } };
        }

        operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        return response;
    }

    /// <summary>A ProblemDetails answer; <paramref name="codes"/> are the stable codes it can carry.</summary>
    public static OpenApiResponse Problem(this OpenApiOperation operation, OpenApiDocument? document, int status, string description, params string[] codes)
    {
        var text = codes.Length == 0 ? description : $"{description} (code: {string.Join(", ", codes.Select(c => $"`{c}`"))})";
        return operation.Respond(status, text, "application/problem+json", Ref(ApiDocument.ProblemSchema, document));
    }

    public static OpenApiResponse WithHeader(this OpenApiResponse response, string name, string description, IOpenApiSchema? schema = null)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = Header(description, schema);
        return response;
    }

    public static OpenApiResponse WithContent(this OpenApiResponse response, string mediaType, IOpenApiSchema schema)
    {
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content[mediaType] = new OpenApiMediaType { Schema = schema };
        return response;
    }

    public static void Parameter(this OpenApiOperation operation, OpenApiParameter parameter)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(parameter);
    }

    /// <summary>Adjusts a parameter the framework inferred from the handler's signature.</summary>
    public static void Parameter(this OpenApiOperation operation, string name, string description, Action<OpenApiSchema>? schema = null)
    {
        if (operation.Parameters?.FirstOrDefault(p => p.Name == name) is OpenApiParameter parameter)
        {
            parameter.Description = description;
            if (schema is not null && parameter.Schema is OpenApiSchema s)
            {
                schema(s);
            }
        }
    }
}
