using Microsoft.OpenApi;

namespace Vexaa.Server.OpenApi;

/// <summary>Self-service (your password and keys) and the administrators' account routes; HEAD on downloads.</summary>
internal static partial class OperationCatalog
{
    private static void AddAccountEntries()
    {
        Entries["POST /api/v1/me/password"] = new("changePassword",
            "Changes your password (`currentPassword`, `newPassword` of 12 to 1024 characters). Every other session of yours ends; this one stays signed in.", (op, doc) =>
            {
                op.Respond(204, "Changed.");
                op.Problem(doc, 400, "A field is missing or the new password is too short or too long.", "invalid-request");
            });
        Entries["GET /api/v1/me/keys"] = new("listMyKeys", "Your API keys: id, label, prefix, created and last-used times (never the secrets).");
        Entries["POST /api/v1/me/keys"] = new("createMyKey", "Creates an API key for yourself, named by `label`; the secret is in this answer only.", (op, doc) =>
            op.Problem(doc, 400, "The label is missing or too long.", "invalid-request"));
        Entries["PATCH /api/v1/me/keys/{id}"] = new("renameMyKey", "Gives one of your API keys a new `label`.", (op, doc) => Key(op, doc));
        Entries["DELETE /api/v1/me/keys/{id}"] = new("revokeMyKey", "Revokes one of your API keys: requests with it are refused from now on.", (op, doc) =>
        {
            Key(op, doc);
            op.Respond(204, "Revoked.");
        });
        Entries["PATCH /api/v1/admin/users/{name}"] = new("updateUser",
            "Changes a person's role (`isAdmin`) or disables / enables them (`disabled`). A disabled person cannot sign in, their sessions end and their keys stop working. Nobody can demote or disable themselves or the last active administrator.",
            (op, doc) => User(op, doc, lockout: true));
        Entries["DELETE /api/v1/admin/users/{name}"] = new("deleteUser",
            "Deletes a person with all their jobs, uploads, results and keys (running jobs are stopped first).", (op, doc) =>
            {
                User(op, doc, lockout: true);
                op.Respond(204, "Deleted.");
            });
        Entries["POST /api/v1/admin/users/{name}/password"] = new("resetPassword",
            "Gives a person a new generated password, returned once in this answer; their sessions end.", (op, doc) => User(op, doc, lockout: false));
        Entries["GET /api/v1/admin/users/{name}/keys"] = new("listUserKeys", "A person's API keys (never the secrets).", (op, doc) => User(op, doc, lockout: false));
        Entries["PATCH /api/v1/admin/users/{name}/keys/{id}"] = new("renameUserKey", "Gives one of a person's API keys a new `label`.", (op, doc) =>
        {
            User(op, doc, lockout: false);
            Key(op, doc);
        });
        Entries["DELETE /api/v1/admin/users/{name}/keys/{id}"] = new("revokeUserKey", "Revokes one of a person's API keys.", (op, doc) =>
        {
            User(op, doc, lockout: false);
            Key(op, doc);
            op.Respond(204, "Revoked.");
        });
    }

    private static void AddDownloadHeadEntries()
    {
        Entries["HEAD /api/v1/jobs/{id}/result"] = new("headResult",
            "The headers a download of the first result would have (`Content-Length`, `Content-Type`, `ETag`, `Accept-Ranges`), without the body.",
            (op, doc) => Download(op, doc, index: false));
        Entries["HEAD /api/v1/jobs/{id}/results/{index}"] = new("headResultFile",
            "The headers a download of result file `index` would have, without the body.", (op, doc) => Download(op, doc, index: true));
    }

    private static void Key(OpenApiOperation op, OpenApiDocument? doc)
    {
        op.Parameter("id", "The key's id.");
        op.Problem(doc, 404, "No such key (another person's key answers the same).", "not-found");
    }

    private static void User(OpenApiOperation op, OpenApiDocument? doc, bool lockout)
    {
        op.Parameter("name", "The person's name.");
        op.Problem(doc, 404, "No such user.", "not-found");
        if (lockout)
        {
            op.Problem(doc, 409, "It would lock you or the last administrator out.", "self-lockout", "last-admin");
        }
    }
}
