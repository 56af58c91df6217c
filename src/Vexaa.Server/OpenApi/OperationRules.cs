using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// Per operation: its id and description from <see cref="OperationCatalog"/>, who may call it (security requirements
/// from the endpoint's own authorization metadata), and the problems every authenticated route can answer.
/// </summary>
internal static class OperationRules
{
    public static Task ApplyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var key = OperationCatalog.Key(description.HttpMethod ?? "", description.RelativePath ?? "");
        var document = context.Document;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var admin = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == "admin");

        if (anonymous)
        {
            // An empty requirement: no credentials needed (and any sent are ignored).
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        else
        {
            operation.Security =
            [
                Requirement(ApiDocument.BearerScheme, document),
                Requirement(ApiDocument.ApiKeyScheme, document),
                Requirement(ApiDocument.CookieScheme, document),
            ];
            operation.Problem(document, 401, "No valid API key or session.", "unauthenticated");
            if (admin)
            {
                operation.Problem(document, 403, "The caller is not an administrator.", "forbidden");
            }

            operation.Problem(document, 429, "Too many requests from this user within a minute; wait `Retry-After` seconds.", "rate-limited")
                .WithHeader("Retry-After", "Seconds to wait before trying again.", Describe.Integer(minimum: 1));
        }

        foreach (var parameter in operation.Parameters ?? [])
        {
            if (parameter.Schema is OpenApiSchema schema)
            {
                SchemaRules.StrictNumbers(schema);
            }
        }

        operation.Problem(document, 500, "The server could not complete the request (it has been logged).", "internal-error");
        // Any route may meet the database (every authenticated one does) or the file storage away for a moment.
        operation.Problem(document, 503, "The database or the file storage cannot be reached at the moment; nothing was changed. Wait `Retry-After` seconds and try again.",
                "database-unavailable", "storage-unavailable")
            .WithHeader("Retry-After", "Seconds to wait before trying again.", Describe.Integer(minimum: 1));
        if (OperationCatalog.Find(key) is { } entry)
        {
            operation.OperationId = entry.Id;
            operation.Description = entry.Description;
            entry.Complete?.Invoke(operation, document);
        }

        if (operation.Responses is { Count: > 1 } responses)
        {
            // In status order, as a reader looks for them.
            var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            responses.Clear();
            foreach (var (status, response) in sorted)
            {
                responses[status] = response;
            }
        }

        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
