using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Vexaa.Auth;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Account;

/// <summary>The signed-in user's own account: who they are, and the secret that signs their webhooks.</summary>
public static class AccountApi
{
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public sealed record MeDto(string Id, string Name, bool IsAdmin, string WebhookSecret, string WebhookSignatureHeader);

    public static void MapAccount(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", async Task<Results<Ok<MeDto>, ProblemHttpResult>> (HttpContext context, UserAccounts accounts) =>
            await accounts.FindByIdAsync(context.User.UserId(), context.RequestAborted) is { } user
                ? TypedResults.Ok(new MeDto(user.Id, user.Name, user.IsAdmin, user.WebhookSecret,
                    "Vexaa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhookSecret, \"<t>.<body>\")>"))
                : Problems.NotFound("user"))
            .WithTags("Account").WithSummary("The signed-in user, with the secret that signs their webhooks.");
        routes.MapPost("/api/v1/me/password", ChangePasswordAsync).WithTags("Account")
            .WithSummary("Change your password ({currentPassword, newPassword}, 12 to 1024 characters): every other session of yours ends.")
            .ProducesProblem(400).ProducesProblem(401);
        routes.MapMyKeys();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(PasswordChange request, HttpContext context, UserAccounts accounts)
    {
        if (request.NewPassword is not { Length: >= 12 and <= 1024 } || string.IsNullOrEmpty(request.CurrentPassword))
        {
            return Problems.Of(400, "invalid-request", "Send 'currentPassword' and a 'newPassword' of 12 to 1024 characters.");
        }

        var name = context.User.Identity?.Name ?? "";
        var user = await accounts.VerifyPasswordAsync(name, request.CurrentPassword, context.RequestAborted);
        if (user is null)
        {
            return Problems.Of(401, "invalid-credentials", "The current password is not right.");
        }

        await accounts.SetPasswordAsync(user, request.NewPassword, context.RequestAborted);
        if (context.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            && await accounts.FindByIdAsync(user.Id, context.RequestAborted) is { } renewed)
        {
            // The person who changed it stays signed in here, under the new stamp; every other cookie is refused.
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                CurrentUser.Principal(renewed, CookieAuthenticationDefaults.AuthenticationScheme), new AuthenticationProperties { IsPersistent = true });
        }

        return TypedResults.NoContent();
    }
}
