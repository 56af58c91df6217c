using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>
/// /openapi/v1.json as a contract: what the framework infers from the handlers, completed by transformers with what it
/// cannot see (form bodies read by hand, tus headers, event streams, downloads, the problems each route answers).
/// </summary>
public static class ApiDocument
{
    public const string ProblemSchema = "ProblemDetails";
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";
    public const string CookieScheme = "session";

    public static IServiceCollection AddVexaaOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddSchemaTransformer(SchemaRules.ApplyAsync);
        o.AddOperationTransformer(OperationRules.ApplyAsync);
        o.AddDocumentTransformer(DescribeDocumentAsync);
    });

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Jobs", "Conversions: create one from a file or a finished upload, follow it (poll or Server-Sent Events), download its results, retry or delete it."),
        ("Uploads (tus)", "Resumable uploads by the tus 1.0.0 protocol (https://tus.io/protocols/resumable-upload), for files too large or links too flaky for one request. A finished upload becomes a job with `POST /api/v1/jobs {\"uploadId\": …}`."),
        ("Account", "Signing in and out of a cookie session (the web page), and who the caller is."),
        ("Admin", "Administrators only: people and their API keys."),
    ];

    private static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "VExAA API",
            Version = typeof(ApiDocument).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
            Summary = "Video Extraction & Audio Assembly: turn videos into exactly the audio asked for.",
            Description = """
                VExAA converts the audio of video (and audio) files into MP3, AAC/M4A, Opus, Ogg Vorbis, FLAC, WAV or ALAC, or copies
                the original stream without re-encoding, with trimming, loudness normalisation (EBU R128) and tags.

                **Authentication.** Every route except signing in needs an API key, sent as `Authorization: Bearer vx_…` or
                `X-Api-Key: vx_…`, or the web page's session cookie (`vexaa_session`, from `POST /api/v1/session`). A request made
                with the cookie that changes something must also send `X-Requested-With: vexaa`.

                **Errors** are RFC 9457 ProblemDetails (`application/problem+json`) with a stable `code` (also in `type`, as
                `/errors/{code}`) and a sentence a person can act on. `429` answers carry `Retry-After` and `retryAfterSeconds`.

                **Flow.** Send a file with `POST /api/v1/jobs` (multipart, field `file`), or upload it resumably with tus
                (`POST /api/v1/uploads`, then `PATCH`) and create the job with its `uploadId`. Follow the job with
                `GET /api/v1/jobs/{id}` or its event stream, then download `GET /api/v1/jobs/{id}/result`.
                """,
        };
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "vx_…",
                Description = "An API key (`vexaa keys create --user NAME`, or *People & keys* on the web page) as `Authorization: Bearer vx_…`.",
            },
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-Api-Key", Description = "The same API key in the `X-Api-Key` header.",
            },
            [CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "vexaa_session",
                Description = "The web page's session cookie, set by `POST /api/v1/session`. Requests that change something must also send `X-Requested-With: vexaa`.",
            },
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        document.Components.Schemas[JobForms.Multipart] = JobForms.Schema(multipart: true);
        document.Components.Schemas[JobForms.Json] = JobForms.Schema(multipart: false);
        return Task.CompletedTask;
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. `code` is stable and safe to branch on; `detail` is for people.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Describe.String("`/errors/{code}`."),
            ["title"] = Describe.String("A short title for the code."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "What went wrong, in a sentence a person can act on." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The stable error code, e.g. `invalid-option`, `not-found`, `unauthenticated`, `rate-limited`, `payload-too-large`, `quota-exceeded`, `no-audio-stream`.",
                Examples = [JsonValue.Create("invalid-option")],
            },
            ["retryAfterSeconds"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1",
                Description = "On `rate-limited` (429): seconds to wait before trying again (the same as the Retry-After header).",
            },
            ["maxBytes"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "On `payload-too-large` (413): the largest upload allowed." },
        },
        Examples =
        [
            new JsonObject
            {
            ["type"] = "/errors/invalid-option", ["title"] = "An option is not valid", ["status"] = 400,
            ["detail"] = "bitrate 1000k is not allowed for mp3; use 8k to 320k.", ["code"] = "invalid-option",
            },
        ],
    };
}
