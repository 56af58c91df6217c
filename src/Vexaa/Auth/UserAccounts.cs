using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Vexaa.Data;

namespace Vexaa.Auth;

/// <summary>
/// Users, their passwords and API keys. Passwords are hashed with ASP.NET Core's PasswordHasher (PBKDF2);
/// API keys are 256-bit random secrets stored as SHA-256 hashes, so a leaked database reveals no usable key.
/// </summary>
public sealed partial class UserAccounts(Database database, TimeProvider time)
{
    private static readonly PasswordHasher<User> Hasher = new();
    private static readonly System.Text.RegularExpressions.Regex NamePattern = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    public static bool IsValidName(string name) => NamePattern.IsMatch(name);

    /// <summary>A generated password: 24 base32 characters (120 random bits), shown to a person once.</summary>
    public static string NewPassword() => Ids.Secret("")[..24];

    public async Task<User> CreateUserAsync(string name, string? password, bool isAdmin, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"User name '{name}' is not valid: use 1 to 64 letters, digits, '.', '_' or '-'.");
        }

        var user = new User { Id = Ids.New(), Name = name, IsAdmin = isAdmin, WebhookSecret = Ids.Secret("whsec_"), CreatedAt = time.NowMs(), SecurityStamp = Ids.New() };
        await using var connection = await database.OpenAsync(cancellationToken);
        // 'BOB' beside 'bob' would be two people who look like one to everyone reading a list of names.
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE LOWER(name) = LOWER(@name)", new { name }) > 0)
        {
            throw new DuplicateUserException(name);
        }

        await connection.ExecuteAsync(
            "INSERT INTO users (id, name, password_hash, is_admin, webhook_secret, created_at, security_stamp) VALUES (@Id, @Name, @Hash, @IsAdmin, @WebhookSecret, @CreatedAt, @SecurityStamp)",
            new { user.Id, user.Name, Hash = password is null ? null : Hasher.HashPassword(user, password), user.IsAdmin, user.WebhookSecret, user.CreatedAt, user.SecurityStamp });
        return user;
    }

    public async Task<User?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryUserAsync(connection, "WHERE name = @name", new { name });
    }

    public async Task<User?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryUserAsync(connection, "WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<User>($"{SelectUser} ORDER BY name")];
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM users WHERE name = @name", new { name }) > 0;
    }

    public async Task SetPasswordAsync(User user, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE users SET password_hash = @hash, security_stamp = @stamp WHERE id = @id",
            new { hash = Hasher.HashPassword(user, password), stamp = Ids.New(), id = user.Id });
    }

    /// <summary>Ends every session of the user, on every server sharing the database; returns the new stamp.</summary>
    public async Task<string> EndSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        var stamp = Ids.New();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE users SET security_stamp = @stamp WHERE id = @userId", new { stamp, userId });
        return stamp;
    }

    /// <summary>Disables (or enables again) a user: a disabled user cannot sign in, and their sessions and API keys stop working.</summary>
    public async Task<bool> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            disabled
                ? "UPDATE users SET disabled_at = COALESCE(disabled_at, @now), security_stamp = @stamp WHERE name = @name"
                : "UPDATE users SET disabled_at = NULL WHERE name = @name",
            new { now = time.NowMs(), stamp = Ids.New(), name }) > 0;
    }

    /// <summary>The user with this name and password, or null. Takes the same time for unknown names as for wrong passwords.</summary>
    public async Task<User?> VerifyPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Id, string? Hash)>("SELECT id, password_hash FROM users WHERE name = @name", new { name });
        var user = row.Id is null ? null : await QueryUserAsync(connection, "WHERE id = @id AND disabled_at IS NULL", new { id = row.Id });
        var probe = user ?? new User { Id = "", Name = name, WebhookSecret = "" };
        var result = Hasher.VerifyHashedPassword(probe, row.Hash ?? DummyHash, password);
        return user is not null && row.Hash is not null && result != PasswordVerificationResult.Failed ? user : null;
    }

    /// <summary>Creates an API key for <paramref name="user"/>; the returned secret is the only copy there will ever be.</summary>
    public async Task<(ApiKeyInfo Key, string Secret)> CreateApiKeyAsync(User user, string name, CancellationToken cancellationToken)
    {
        var secret = Ids.Secret("vx_");
        var key = new ApiKeyInfo { Id = Ids.New(), UserId = user.Id, Prefix = secret[..10], Name = name, CreatedAt = time.NowMs() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO api_keys (id, user_id, hash, prefix, name, created_at) VALUES (@Id, @UserId, @Hash, @Prefix, @Name, @CreatedAt)",
            new { key.Id, key.UserId, Hash = Ids.Hash(secret), key.Prefix, key.Name, key.CreatedAt });
        return (key, secret);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ApiKeyInfo>(
            "SELECT id, user_id AS UserId, prefix, name, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt FROM api_keys WHERE user_id = @userId ORDER BY created_at",
            new { userId })];
    }

    public async Task<bool> RevokeApiKeyAsync(string userId, string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE api_keys SET revoked_at = @now WHERE id = @keyId AND user_id = @userId AND revoked_at IS NULL",
            new { now = time.NowMs(), keyId, userId }) > 0;
    }

    /// <summary>The owner of a valid, unrevoked key, or null.</summary>
    public async Task<User?> AuthenticateApiKeyAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith("vx_", StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var hash = Ids.Hash(secret);
        var user = await QueryUserAsync(connection, "WHERE disabled_at IS NULL AND id = (SELECT user_id FROM api_keys WHERE hash = @hash AND revoked_at IS NULL)", new { hash });
        if (user is not null)
        {
            // Written at most once a minute per key, so busy clients do not turn every request into a write.
            var now = time.NowMs();
            await connection.ExecuteAsync("UPDATE api_keys SET last_used_at = @now WHERE hash = @hash AND (last_used_at IS NULL OR last_used_at < @stale)",
                new { now, hash, stale = now - 60_000 });
        }

        return user;
    }

    private const string SelectUser = "SELECT id, name, is_admin AS IsAdmin, webhook_secret AS WebhookSecret, created_at AS CreatedAt, security_stamp AS SecurityStamp, disabled_at AS DisabledAt FROM users";

    private static Task<User?> QueryUserAsync(DbConnection connection, string where, object args) =>
        connection.QuerySingleOrDefaultAsync<User?>($"{SelectUser} {where}", args);

    // Verifying against a real hash when the user does not exist keeps the timing of both failures alike.
    private static readonly string DummyHash = Hasher.HashPassword(new User { Id = "", Name = "", WebhookSecret = "" }, Ids.New());
}

/// <summary>A user with this name, in any letter case, exists already.</summary>
public sealed class DuplicateUserException(string name) : Exception($"There is already a user named '{name}' (names are compared regardless of case).");
