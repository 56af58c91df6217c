using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Vexaa.Auth;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Account;

/// <summary>Cookie sessions for the web page: sign in with a user name and password, sign out.</summary>
public static class SessionApi
{
    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record SessionDto(string Id, string Name, bool IsAdmin);

    public static void MapSession(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/session").WithTags("Account");
        group.MapPost("/", SignInAsync).AllowAnonymous()
            .WithSummary("Sign in with a user name and password: sets the session cookie (the web page's 'vexaa_session'). Cookie requests that change something must send 'X-Requested-With: vexaa'.")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(429);
        group.MapDelete("/", async Task<NoContent> (HttpContext context, UserAccounts accounts) =>
        {
            // A copy of the cookie (another tab, a stolen one) must stop working too, so the user's stamp changes.
            if (context.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
            {
                await accounts.EndSessionsAsync(context.User.UserId(), context.RequestAborted);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).WithSummary("Sign out: ends every cookie session of the signed-in user.");
    }

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext context, UserAccounts accounts, SignInThrottle throttle)
    {
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password) || request.Username.Length > 64 || request.Password.Length > 1024)
        {
            return Problems.Of(400, "invalid-request", "Send a JSON object with 'username' and 'password'.");
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.RetryAfter(client) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Problems.Of(429, "rate-limited", $"Too many failed sign-ins from your address; try again in {seconds} s.",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
        }

        // The same answer, after the same work, whether the name is unknown, the password wrong or the account disabled.
        var user = await accounts.VerifyPasswordAsync(request.Username, request.Password, context.RequestAborted);
        if (user is null)
        {
            throttle.Failed(client);
            return Problems.Of(401, "invalid-credentials", "The user name or password is not right.");
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            CurrentUser.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme), new AuthenticationProperties { IsPersistent = true });
        return TypedResults.Ok(new SessionDto(user.Id, user.Name, user.IsAdmin));
    }
}
