namespace Vexaa.Auth;

/// <summary>A person or system that owns jobs.</summary>
public sealed record User
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool IsAdmin { get; init; }
    public required string WebhookSecret { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>Set while an administrator has disabled the account: no sign-in, no API key, no session.</summary>
    public long? DisabledAt { get; init; }
}

/// <summary>An API key as listed (the secret itself is shown once, at creation, and never stored).</summary>
public sealed record ApiKeyInfo
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Prefix { get; init; }
    public required string Name { get; init; }
    public long CreatedAt { get; init; }
    public long? LastUsedAt { get; init; }
    public long? RevokedAt { get; init; }
}
