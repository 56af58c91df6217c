using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>The tus routes (status codes and headers are the protocol's), the account and the admin routes.</summary>
internal static partial class OperationCatalog
{
    private const string TusResumable = "Tus-Resumable";

    static OperationCatalog()
    {
        Entries["OPTIONS /api/v1/uploads"] = new("getUploadCapabilities",
            "tus discovery: the protocol versions, extensions, largest upload and checksum algorithms this server supports. Needs no `Tus-Resumable` header.", (op, doc) =>
            {
                op.Respond(204, "The capabilities, in headers.")
                    .WithHeader("Tus-Version", "`1.0.0`.").WithHeader("Tus-Extension", "`creation,termination,expiration,checksum`.")
                    .WithHeader("Tus-Max-Size", "The largest upload in bytes.", Describe.Integer()).WithHeader("Tus-Checksum-Algorithm", "`sha1`.")
                    .WithHeader(TusResumable, "`1.0.0`.");
            });
        Entries["POST /api/v1/uploads"] = new("createUpload",
            "tus creation: announces an upload of `Upload-Length` bytes; `Location` is where to PATCH its bytes. Unfinished uploads expire (`Upload-Expires`).", (op, doc) =>
            {
                Tus(op, doc);
                op.Parameter(Describe.HeaderParameter("Upload-Length", "The upload's size in bytes.", required: true, Describe.Integer(minimum: 0)));
                op.Parameter(Describe.HeaderParameter("Upload-Metadata", "Comma-separated `key base64(value)` pairs; `filename` names the job's input."));
                op.Responses?.Remove("200");
                op.Respond(201, "Created.").WithHeader("Location", "The upload: `/api/v1/uploads/{id}`.")
                    .WithHeader("Upload-Expires", "When an unfinished upload is deleted (HTTP date).").WithHeader(TusResumable, "`1.0.0`.");
                op.Problem(doc, 400, "Upload-Length missing or not a number, Upload-Defer-Length sent, or malformed metadata.", "invalid-request");
                op.Problem(doc, 403, "The upload would exceed the caller's storage quota.", "quota-exceeded");
                op.Problem(doc, 413, "Upload-Length is over the server's limit (`Tus-Max-Size`).", "payload-too-large")
                    .WithHeader("Tus-Max-Size", "The largest upload in bytes.", Describe.Integer());
            });
        Entries["HEAD /api/v1/uploads/{id}"] = new("getUploadOffset",
            "tus core: how many bytes of the upload the server has. Resume by PATCHing from `Upload-Offset`.", (op, doc) =>
            {
                Tus(op, doc);
                op.Parameter("id", "The upload's id.");
                op.Respond(200, "The upload's state, in headers (no body).")
                    .WithHeader("Upload-Offset", "Bytes received so far.", Describe.Integer())
                    .WithHeader("Upload-Length", "The upload's size.", Describe.Integer())
                    .WithHeader("Upload-Expires", "When it expires if unfinished.").WithHeader("Upload-Metadata", "The metadata sent on creation.")
                    .WithHeader("Cache-Control", "`no-store`.").WithHeader(TusResumable, "`1.0.0`.");
                op.Respond(404, "No such upload of the caller's (no body: this is HEAD).");
            });
        Entries["PATCH /api/v1/uploads/{id}"] = new("appendUpload",
            "tus core: appends bytes at `Upload-Offset`, which must be where the server stopped receiving. With `Upload-Checksum: sha1 <base64>` a damaged chunk is refused (460) and discarded.", (op, doc) =>
            {
                Tus(op, doc);
                op.Parameter("id", "The upload's id.");
                op.Parameter(Describe.HeaderParameter("Upload-Offset", "The offset these bytes start at (the last HEAD's Upload-Offset).", required: true, Describe.Integer(minimum: 0)));
                op.Parameter(Describe.HeaderParameter("Upload-Checksum", "`sha1 <base64 digest of this request's body>`."));
                op.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/offset+octet-stream"] = new() { Schema = Describe.Binary("The next bytes of the file.") } },
                };
                op.Responses?.Remove("200");
                op.Respond(204, "Appended.").WithHeader("Upload-Offset", "The new offset.", Describe.Integer())
                    .WithHeader("Upload-Expires", "When it expires if unfinished.").WithHeader(TusResumable, "`1.0.0`.");
                op.Problem(doc, 400, "Upload-Offset missing, or a checksum of an unsupported algorithm or shape.", "invalid-request");
                op.Problem(doc, 404, "No such upload.", "not-found");
                op.Problem(doc, 409, "Upload-Offset is not where the server is (HEAD, then resume), or another request is writing.", "offset-mismatch", "upload-busy");
                op.Problem(doc, 413, "The bytes run past Upload-Length.", "payload-too-large");
                op.Problem(doc, 415, "The body is not application/offset+octet-stream.", "unsupported-media-type");
                op.Problem(doc, 460, "The chunk does not match its Upload-Checksum; send it again.", "checksum-mismatch");
                op.Problem(doc, 507, "The server's disk is full: nothing of this chunk was kept (`Upload-Offset` is unchanged); resume after `Retry-After` seconds.", "insufficient-storage")
                    .WithHeader("Upload-Offset", "Where the upload stands, as before this request.", Describe.Integer())
                    .WithHeader("Retry-After", "Seconds to wait before trying again.", Describe.Integer(minimum: 1)).WithHeader(TusResumable, "`1.0.0`.");
            });
        Entries["DELETE /api/v1/uploads/{id}"] = new("deleteUpload", "tus termination: abandons an upload and deletes what arrived.", (op, doc) =>
        {
            Tus(op, doc);
            op.Parameter("id", "The upload's id.");
            op.Responses?.Remove("200");
            op.Respond(204, "Deleted.").WithHeader(TusResumable, "`1.0.0`.");
            op.Problem(doc, 404, "No such upload.", "not-found");
        });
        Entries["GET /api/v1/uploads/{id}/probe"] = new("probeUpload",
            "Reads a finished upload's container, duration, audio tracks (codec, channels, language, title) and chapters, so a client can choose options before creating the job.", (op, doc) =>
            {
                op.Parameter("id", "The upload's id.");
                op.Respond(200, "What the file holds.", "application/json", Describe.Ref("ProbeDto", doc));
                op.Problem(doc, 404, "No such upload.", "not-found");
                op.Problem(doc, 409, "The upload is not finished.", "upload-unfinished");
                op.Problem(doc, 422, "The file is not readable media, or a container VExAA refuses.", "not-media", "unsupported-container", "corrupt-media", "empty-file");
            });
        Entries["GET /api/v1/me"] = new("getMe", "The caller: id, name, whether an administrator, and the secret that signs their webhooks (`Vexaa-Signature`).", (op, doc) =>
            op.Problem(doc, 404, "The user was deleted.", "not-found"));
        Entries["POST /api/v1/session"] = new("signIn",
            "Signs in with a user name and password and sets the `vexaa_session` cookie (HttpOnly, SameSite=Strict, 7 days, sliding). Ten failures from one address within 5 minutes and further attempts get 429.", (op, doc) =>
            {
                if (op.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
                {
                    ok.Description = "Signed in; the cookie is set.";
                    ok.WithHeader("Set-Cookie", "`vexaa_session=…; HttpOnly; SameSite=Strict`.");
                }

                op.Problem(doc, 400, "Username or password missing.", "invalid-request");
                op.Problem(doc, 401, "Wrong user name or password.", "invalid-credentials");
                op.Problem(doc, 403, "A cross-site request (no `X-Requested-With: vexaa`).", "csrf");
                op.Problem(doc, 429, "Too many failed sign-ins from this address; wait `Retry-After` seconds.", "rate-limited")
                    .WithHeader("Retry-After", "Seconds to wait.", Describe.Integer(minimum: 1));
            });
        Entries["DELETE /api/v1/session"] = new("signOut", "Ends the cookie session (the cookie is cleared).", (op, doc) => op.Respond(204, "Signed out."));
        Entries["GET /api/v1/admin/users"] = new("listUsers", "Every user, with the number of active API keys each has.");
        Entries["POST /api/v1/admin/users"] = new("createUser", "Creates a user with a generated password, returned once in the answer (it is not stored in clear).", (op, doc) =>
        {
            op.Problem(doc, 400, "The name is missing or not allowed.", "invalid-request");
            op.Problem(doc, 409, "A user with that name exists.", "conflict");
        });
        Entries["POST /api/v1/admin/users/{name}/keys"] = new("createApiKey", "Creates an API key for a user, returned once in the answer (only its hash is stored).", (op, doc) =>
        {
            op.Parameter("name", "The user's name.");
            op.Problem(doc, 404, "No such user.", "not-found");
        });
        AddAccountEntries();
        AddDownloadHeadEntries();
    }

    /// <summary>Every tus request but OPTIONS must say which protocol version it speaks.</summary>
    private static void Tus(OpenApiOperation op, OpenApiDocument? doc)
    {
        op.Parameter(Describe.HeaderParameter(TusResumable, "The tus version the client speaks: `1.0.0`.", required: true,
            Describe.Enum([Server.Uploads.TusApi.Version])));
        op.Problem(doc, 412, "Tus-Resumable missing or another version.", "tus-version").WithHeader("Tus-Version", "`1.0.0`.");
    }
}
