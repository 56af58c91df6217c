using Dapper;

namespace Vexaa.Auth;

// What administrators (and, for their own keys, members) change about accounts after they exist.
public sealed partial class UserAccounts
{
    public async Task SetAdminAsync(string userId, bool isAdmin, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE users SET is_admin = @isAdmin WHERE id = @userId", new { isAdmin, userId });
    }

    /// <summary>Administrators who can still sign in: the last one must not be disabled, demoted or deleted.</summary>
    public async Task<long> CountActiveAdminsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE is_admin = @yes AND disabled_at IS NULL", new { yes = true });
    }

    /// <summary>Gives one of <paramref name="userId"/>'s keys a new name. False when they have no such key.</summary>
    public async Task<bool> RenameApiKeyAsync(string userId, string keyId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE api_keys SET name = @name WHERE id = @keyId AND user_id = @userId", new { name, keyId, userId }) > 0;
    }

    /// <summary>True when <paramref name="password"/> is <paramref name="user"/>'s current password.</summary>
    public async Task<bool> CheckPasswordAsync(User user, string password, CancellationToken cancellationToken) =>
        await VerifyPasswordAsync(user.Name, password, cancellationToken) is { } same && same.Id == user.Id;
}
