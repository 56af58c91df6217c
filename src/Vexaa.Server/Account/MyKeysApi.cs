using Vexaa.Auth;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Account;

/// <summary>
/// Every member's own API keys: list, create (the secret is shown once), rename and revoke them (the password is changed in
/// AccountApi). Keys are looked up by (owner, id), so another person's key id answers as an unknown one.
/// </summary>
public static class MyKeysApi
{
    public static void MapMyKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/me").WithTags("Account");
        group.MapGet("/keys", ListAsync).WithSummary("Your API keys (never their secrets).");
        group.MapPost("/keys", CreateAsync).WithSummary("Create an API key for yourself, named by 'label'; the key is returned once.").ProducesProblem(400);
        group.MapPatch("/keys/{id}", RenameAsync).WithSummary("Rename one of your API keys.").ProducesProblem(400).ProducesProblem(404);
        group.MapDelete("/keys/{id}", RevokeAsync).WithSummary("Revoke one of your API keys: it stops working at once.").ProducesProblem(404);
    }

    private static async Task<Ok<List<KeyDto>>> ListAsync(HttpContext context, UserAccounts accounts) =>
        TypedResults.Ok((await accounts.ListApiKeysAsync(context.User.UserId(), context.RequestAborted)).Select(KeyDto.From).ToList());

    private static async Task<Results<Created<NewKeyDto>, ProblemHttpResult>> CreateAsync(KeyLabelRequest? request, HttpContext context, UserAccounts accounts)
    {
        if (KeyDto.CleanLabel(request?.Label, "my key") is not { } label)
        {
            return Problems.Of(400, "invalid-request", KeyDto.LabelRule);
        }

        if (await accounts.FindByIdAsync(context.User.UserId(), context.RequestAborted) is not { } user)
        {
            return Problems.NotFound("user");
        }

        var (key, secret) = await accounts.CreateApiKeyAsync(user, label, context.RequestAborted);
        return TypedResults.Created($"/api/v1/me/keys/{key.Id}", new NewKeyDto(key.Id, user.Name, key.Name, key.Prefix, secret));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RenameAsync(string id, KeyLabelRequest request, HttpContext context, UserAccounts accounts)
    {
        if (string.IsNullOrWhiteSpace(request.Label) || KeyDto.CleanLabel(request.Label, "") is not { } label)
        {
            return Problems.Of(400, "invalid-request", KeyDto.LabelRule);
        }

        return await accounts.RenameApiKeyAsync(context.User.UserId(), id, label, context.RequestAborted) ? TypedResults.NoContent() : Problems.NotFound("key");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, HttpContext context, UserAccounts accounts)
    {
        var userId = context.User.UserId();
        if (await accounts.RevokeApiKeyAsync(userId, id, context.RequestAborted))
        {
            return TypedResults.NoContent();
        }

        // Revoking twice is not an error; a key that is not yours (or does not exist) is.
        var keys = await accounts.ListApiKeysAsync(userId, context.RequestAborted);
        return keys.Any(k => k.Id == id) ? TypedResults.NoContent() : Problems.NotFound("key");
    }

}
