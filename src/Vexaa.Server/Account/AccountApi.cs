using Vexaa.Auth;
using Vexaa.Server.Auth;

namespace Vexaa.Server.Account;

/// <summary>The signed-in user's own account: who they are, and the secret that signs their webhooks.</summary>
public static class AccountApi
{
    public sealed record MeDto(string Id, string Name, bool IsAdmin, string WebhookSecret, string WebhookSignatureHeader);

    public static void MapAccount(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/me", async Task<Results<Ok<MeDto>, ProblemHttpResult>> (HttpContext context, UserAccounts accounts) =>
            await accounts.FindByIdAsync(context.User.UserId(), context.RequestAborted) is { } user
                ? TypedResults.Ok(new MeDto(user.Id, user.Name, user.IsAdmin, user.WebhookSecret,
                    "Vexaa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(webhookSecret, \"<t>.<body>\")>"))
                : Problems.NotFound("user"))
            .WithTags("Account").WithSummary("The signed-in user, with the secret that signs their webhooks.");
        routes.MapMyKeys();
    }
}
