using System.Security.Claims;

namespace Vexaa.Server.Auth;

public static class CurrentUser
{
    /// <summary>The claim that carries the user's security stamp in a session cookie.</summary>
    public const string StampClaim = "vexaa:stamp";

    /// <summary>The signed-in user's id. Only called behind the authorization policy, so it is always there.</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole("admin");

    public static ClaimsPrincipal Principal(Vexaa.Auth.User user, string scheme)
    {
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, user.Name), new(StampClaim, user.SecurityStamp)];
        if (user.IsAdmin)
        {
            claims.Add(new Claim(ClaimTypes.Role, "admin"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
