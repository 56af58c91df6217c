using Vexaa.Auth;
using Vexaa.Server.Account;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Admin;

/// <summary>
/// For administrators: list and add people (with a generated password), change a person's role, disable or enable them,
/// give them a new password, delete them with their jobs and files. Their API keys: <see cref="AdminKeysApi"/>.
/// An administrator cannot lock themselves out, and the last active administrator cannot be removed.
/// </summary>
public static class AdminApi
{
    public sealed record UserDto(string Id, string Name, bool IsAdmin, DateTimeOffset CreatedAt, int ActiveKeys, bool Disabled);

    public sealed record NewUserRequest(string? Name, bool Admin);

    /// <summary>The password is shown here once and never again.</summary>
    public sealed record NewUserDto(string Id, string Name, bool IsAdmin, string Password);

    /// <summary>Fields left out stay as they are.</summary>
    public sealed record UserChange(bool? IsAdmin, bool? Disabled);

    /// <summary>The new password is shown here once and never again.</summary>
    public sealed record NewPasswordDto(string Name, string Password);

    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization("admin");
        group.MapGet("/users", ListUsersAsync).WithSummary("Every user (administrators only).");
        group.MapPost("/users", CreateUserAsync).WithSummary("Create a user with a generated password, returned once (administrators only).")
            .ProducesProblem(400).ProducesProblem(409);
        group.MapPatch("/users/{name}", ChangeUserAsync)
            .WithSummary("Change a user's role ('isAdmin') or disable/enable them ('disabled': no sign-in, API keys refused, sessions end).")
            .ProducesProblem(404).ProducesProblem(409);
        group.MapDelete("/users/{name}", DeleteUserAsync).WithSummary("Delete a user with all their jobs, results, uploads and keys.")
            .ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/users/{name}/password", ResetPasswordAsync).WithSummary("Give a user a new generated password, returned once.")
            .ProducesProblem(404);
        group.MapAdminKeys();
        return group;
    }

    private static async Task<Ok<List<UserDto>>> ListUsersAsync(UserAccounts accounts, CancellationToken cancellationToken)
    {
        var users = new List<UserDto>();
        foreach (var user in await accounts.ListAsync(cancellationToken))
        {
            var keys = await accounts.ListApiKeysAsync(user.Id, cancellationToken);
            users.Add(new UserDto(user.Id, user.Name, user.IsAdmin, UnixTime.FromMs(user.CreatedAt), keys.Count(k => k.RevokedAt is null), user.DisabledAt is not null));
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

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> ChangeUserAsync(string name, UserChange change, HttpContext context, UserAccounts accounts)
    {
        var cancellationToken = context.RequestAborted;
        if (await accounts.FindByNameAsync(name, cancellationToken) is not { } user)
        {
            return Problems.NotFound("user");
        }

        var losesAdmin = user.IsAdmin && user.DisabledAt is null && (change.IsAdmin == false || change.Disabled == true);
        if (losesAdmin && await LockoutAsync(user, context, accounts) is { } refused)
        {
            return refused;
        }

        if (change.IsAdmin is { } isAdmin)
        {
            await accounts.SetAdminAsync(user.Id, isAdmin, cancellationToken);
        }

        if (change.Disabled is { } disabled)
        {
            await accounts.SetDisabledAsync(user.Name, disabled, cancellationToken);
        }

        var changed = await accounts.FindByIdAsync(user.Id, cancellationToken) ?? user;
        var keys = await accounts.ListApiKeysAsync(user.Id, cancellationToken);
        return TypedResults.Ok(new UserDto(changed.Id, changed.Name, changed.IsAdmin, UnixTime.FromMs(changed.CreatedAt), keys.Count(k => k.RevokedAt is null), changed.DisabledAt is not null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteUserAsync(string name, HttpContext context, UserAccounts accounts, PersonRemoval removal)
    {
        if (await accounts.FindByNameAsync(name, context.RequestAborted) is not { } user)
        {
            return Problems.NotFound("user");
        }

        if (user.IsAdmin && user.DisabledAt is null && await LockoutAsync(user, context, accounts) is { } refused)
        {
            return refused;
        }

        await removal.RemoveAsync(user, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<NewPasswordDto>, ProblemHttpResult>> ResetPasswordAsync(string name, UserAccounts accounts, CancellationToken cancellationToken)
    {
        if (await accounts.FindByNameAsync(name, cancellationToken) is not { } user)
        {
            return Problems.NotFound("user");
        }

        var password = UserAccounts.NewPassword();
        await accounts.SetPasswordAsync(user, password, cancellationToken);
        return TypedResults.Ok(new NewPasswordDto(user.Name, password));
    }

    /// <summary>Refuses to take away the caller's own administration, or the last active administrator's.</summary>
    private static async Task<ProblemHttpResult?> LockoutAsync(User user, HttpContext context, UserAccounts accounts)
    {
        if (user.Id == context.User.UserId())
        {
            return Problems.Of(409, "self-lockout", "You cannot remove your own administrator rights, disable or delete yourself; another administrator can.");
        }

        return await accounts.CountActiveAdminsAsync(context.RequestAborted) <= 1
            ? Problems.Of(409, "last-admin", "This is the last active administrator; make someone else an administrator first.")
            : null;
    }
}
