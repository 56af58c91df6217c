using Vexaa.Auth;

namespace Vexaa.Server.Admin;

/// <summary>For administrators: the users, new users (with a generated password) and API keys for any user.</summary>
public static class AdminApi
{
    public sealed record UserDto(string Id, string Name, bool IsAdmin, DateTimeOffset CreatedAt, int ActiveKeys, bool Disabled);

    public sealed record NewUserRequest(string? Name, bool Admin);

    /// <summary>The password is shown here once and never again.</summary>
    public sealed record NewUserDto(string Id, string Name, bool IsAdmin, string Password);

    public sealed record NewKeyRequest(string? Label);

    /// <summary>The key is shown here once and never again.</summary>
    public sealed record NewKeyDto(string Id, string User, string Label, string Key);

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization("admin");
        group.MapGet("/users", ListUsersAsync).WithSummary("Every user (administrators only).");
        group.MapPost("/users", CreateUserAsync).WithSummary("Create a user with a generated password, returned once (administrators only).")
            .ProducesProblem(400).ProducesProblem(409);
        group.MapPost("/users/{name}/keys", CreateKeyAsync).WithSummary("Create an API key for a user, returned once (administrators only).")
            .ProducesProblem(404);
        group.MapPost("/users/{name}/disable", (string name, UserAccounts accounts, CancellationToken ct) => SetDisabledAsync(name, true, accounts, ct))
            .WithSummary("Disable a user: their sessions end at once and their API keys stop working (administrators only).").ProducesProblem(404);
        group.MapPost("/users/{name}/enable", (string name, UserAccounts accounts, CancellationToken ct) => SetDisabledAsync(name, false, accounts, ct))
            .WithSummary("Enable a disabled user again (administrators only).").ProducesProblem(404);
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDisabledAsync(string name, bool disabled, UserAccounts accounts, CancellationToken cancellationToken) =>
        await accounts.SetDisabledAsync(name, disabled, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound("user");

    private static async Task<Ok<List<UserDto>>> ListUsersAsync(UserAccounts accounts, CancellationToken cancellationToken)
    {
        var users = new List<UserDto>();
        foreach (var user in await accounts.ListAsync(cancellationToken))
        {
            var keys = await accounts.ListApiKeysAsync(user.Id, cancellationToken);
            users.Add(new UserDto(user.Id, user.Name, user.IsAdmin, Clock.FromMs(user.CreatedAt), keys.Count(k => k.RevokedAt is null), user.DisabledAt is not null));
        }

        return TypedResults.Ok(users);
    }

    private static async Task<Results<Created<NewUserDto>, ProblemHttpResult>> CreateUserAsync(NewUserRequest request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        if (!UserAccounts.IsValidName(name))
        {
            return Problems.Of(400, "invalid-request", "A user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        var password = UserAccounts.NewPassword();
        User user;
        try
        {
            user = await accounts.CreateUserAsync(name, password, request.Admin, cancellationToken);
        }
        catch (DuplicateUserException e)
        {
            return Problems.Of(409, "conflict", e.Message);
        }

        return TypedResults.Created($"/api/v1/admin/users/{user.Name}", new NewUserDto(user.Id, user.Name, user.IsAdmin, password));
    }

    private static async Task<Results<Created<NewKeyDto>, ProblemHttpResult>> CreateKeyAsync(
        string name, NewKeyRequest? request, UserAccounts accounts, CancellationToken cancellationToken)
    {
        var user = await accounts.FindByNameAsync(name, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("user");
        }

        var label = string.IsNullOrWhiteSpace(request?.Label) ? "web" : request.Label.Trim();
        if (label.Length > 100)
        {
            return Problems.Of(400, "invalid-request", "A key's label is at most 100 characters.");
        }

        var (key, secret) = await accounts.CreateApiKeyAsync(user, label, cancellationToken);
        return TypedResults.Created($"/api/v1/admin/users/{user.Name}/keys/{key.Id}", new NewKeyDto(key.Id, user.Name, key.Name, secret));
    }
}
