using Vexaa.Auth;
using Vexaa.Server.Account;

namespace Vexaa.Server.Admin;

/// <summary>For administrators: any user's API keys, listed (never their secrets), created (shown once), renamed, revoked.</summary>
public static class AdminKeysApi
{
    public static void MapAdminKeys(this RouteGroupBuilder group)
    {
        group.MapGet("/users/{name}/keys", ListAsync).WithSummary("A user's API keys (administrators only).").ProducesProblem(404);
        group.MapPost("/users/{name}/keys", CreateAsync).WithSummary("Create an API key for a user, returned once (administrators only).")
            .ProducesProblem(400).ProducesProblem(404);
        group.MapPatch("/users/{name}/keys/{id}", RenameAsync).WithSummary("Rename a user's API key (administrators only).")
            .ProducesProblem(400).ProducesProblem(404);
        group.MapDelete("/users/{name}/keys/{id}", RevokeAsync).WithSummary("Revoke a user's API key (administrators only).").ProducesProblem(404);
    }

    private static async Task<Results<Ok<List<KeyDto>>, ProblemHttpResult>> ListAsync(string name, UserAccounts accounts, CancellationToken cancellationToken) =>
        await accounts.FindByNameAsync(name, cancellationToken) is { } user
            ? TypedResults.Ok((await accounts.ListApiKeysAsync(user.Id, cancellationToken)).Select(KeyDto.From).ToList())
            : Problems.NotFound("user");

    private static async Task<Results<Created<NewKeyDto>, ProblemHttpResult>> CreateAsync(
        string name, KeyLabelRequest? request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        if (await accounts.FindByNameAsync(name, cancellationToken) is not { } user)
        {
            return Problems.NotFound("user");
        }

        if (KeyDto.CleanLabel(request?.Label, "web") is not { } label)
        {
            return Problems.Of(400, "invalid-request", KeyDto.LabelRule);
        }

        var (key, secret) = await accounts.CreateApiKeyAsync(user, label, cancellationToken);
        return TypedResults.Created($"/api/v1/admin/users/{user.Name}/keys/{key.Id}", new NewKeyDto(key.Id, user.Name, key.Name, key.Prefix, secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RenameAsync(
        string name, string id, KeyLabelRequest request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Label) || KeyDto.CleanLabel(request.Label, "") is not { } label)
        {
            return Problems.Of(400, "invalid-request", KeyDto.LabelRule);
        }

        return await accounts.FindByNameAsync(name, cancellationToken) is { } user && await accounts.RenameApiKeyAsync(user.Id, id, label, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound("key");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string name, string id, UserAccounts accounts, CancellationToken cancellationToken)
    {
        if (await accounts.FindByNameAsync(name, cancellationToken) is not { } user)
        {
            return Problems.NotFound("user");
        }

        await accounts.RevokeApiKeyAsync(user.Id, id, cancellationToken);
        return (await accounts.ListApiKeysAsync(user.Id, cancellationToken)).Any(k => k.Id == id) ? TypedResults.NoContent() : Problems.NotFound("key");
    }
}
