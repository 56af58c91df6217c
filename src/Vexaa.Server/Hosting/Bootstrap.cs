using Vexaa.Auth;

namespace Vexaa.Server.Hosting;

/// <summary>First start: with no users at all, create an admin so the newcomer can sign in and call the API at once.</summary>
public static class Bootstrap
{
    /// <summary>Creates 'admin' when there are no users; returns its password and API key (to print once), else null.</summary>
    public static async Task<(string Password, string ApiKey)?> EnsureAdminAsync(UserAccounts accounts, CancellationToken cancellationToken)
    {
        if (await accounts.CountAsync(cancellationToken) > 0)
        {
            return null;
        }

        var password = UserAccounts.NewPassword();
        User admin;
        try
        {
            admin = await accounts.CreateUserAsync("admin", password, isAdmin: true, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DuplicateUserException)
        {
            // Another process starting at the same moment on the same database may have created it first.
            if (await accounts.FindByNameAsync("admin", cancellationToken) is not null)
            {
                return null;
            }

            throw;
        }

        var (_, secret) = await accounts.CreateApiKeyAsync(admin, "first start", cancellationToken);
        return (password, secret);
    }
}
