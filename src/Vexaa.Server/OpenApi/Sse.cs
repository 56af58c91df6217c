using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// The event streams. OpenAPI 3.1 cannot type the events of a text/event-stream, so the names and payloads are said in
/// the description, in an example, and in an <c>x-events</c> extension that maps each event name to its data's schema.
/// </summary>
internal static class Sse
{
    public const string FeedDescription = """
        Server-Sent Events for all of the caller's jobs, for as long as the client stays connected. Events (`event:` name, `data:` JSON):
        - `state`: the whole job (a `JobDto`) when one appears or changes state;
        - `progress`: `{"id", "status", "progress" (0–1 over the whole job, both passes of a loudness normalisation included), "etaSeconds", "phase" (`preparing`, `measuring-loudness`, `encoding`, `storing`)}` while one runs;
        - `deleted`: `{"id", "status": "deleted"}` when one is deleted;
        - `ping`: `{"status": "connected" | "quiet"}` on connecting and when nothing else was sent for a while (keeps proxies from closing the stream).
        """;

    public const string JobDescription = """
        Server-Sent Events for one job, ending when it finishes. Events (`event:` name, `data:` JSON):
        - `state`: the whole job (a `JobDto`) first and whenever its state changes;
        - `progress`: `{"status", "progress" (0–1 over the whole job), "etaSeconds", "phase" (`preparing`, `measuring-loudness`, `encoding`, `storing`)}` while it runs;
        - `deleted`: `{"status": "deleted"}` when it is deleted (the stream ends);
        - `ping`: `{"status"}` when nothing else was sent for a while.
        """;

    public static void Describe(OpenApiOperation operation, bool feed)
    {
        var progress = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["status"] = new JsonObject { ["type"] = "string" },
                ["progress"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
                ["etaSeconds"] = new JsonObject { ["type"] = new JsonArray("number", "null") },
                ["phase"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["enum"] = new JsonArray("preparing", "measuring-loudness", "encoding", "storing", null) },
            },
        };
        if (feed)
        {
            ((JsonObject)progress["properties"]!)["id"] = new JsonObject { ["type"] = "string" };
        }

        var events = new JsonObject
        {
            ["state"] = new JsonObject { ["$ref"] = "#/components/schemas/JobDto" },
            ["progress"] = progress,
            ["deleted"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["status"] = new JsonObject { ["const"] = "deleted" } } },
            ["ping"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["status"] = new JsonObject { ["type"] = "string" } } },
        };
        var example = feed
            ? "event: ping\ndata: {\"status\":\"connected\"}\n\nevent: progress\ndata: {\"id\":\"j_01\",\"status\":\"running\",\"progress\":0.42,\"etaSeconds\":3.1}\n\n"
            : "event: state\ndata: {\"id\":\"j_01\",\"status\":\"running\",…}\n\nevent: progress\ndata: {\"status\":\"running\",\"progress\":0.42,\"etaSeconds\":3.1}\n\n";
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "An endless (or, for one job, until it finishes) text/event-stream; see the operation's description for the events.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/event-stream"] = new()
                {
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`event: <name>` and `data: <JSON>` lines per event, a blank line between events." },
                    Example = JsonValue.Create(example),
                    Extensions = new Dictionary<string, IOpenApiExtension> { ["x-events"] = new JsonNodeExtension(events) },
                },
            },
        };
    }
}
