using Vexaa.Auth;

namespace Vexaa.Server.Account;

/// <summary>An API key as listed: its first characters to recognise it by, never the secret.</summary>
public sealed record KeyDto(string Id, string Label, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static KeyDto From(ApiKeyInfo k) => new(k.Id, k.Name, k.Prefix, UnixTime.FromMs(k.CreatedAt),
        k.LastUsedAt is { } used ? UnixTime.FromMs(used) : null, k.RevokedAt is { } revoked ? UnixTime.FromMs(revoked) : null);

    /// <summary>A key's label: trimmed, 1 to 100 characters; null when it is not acceptable.</summary>
    public static string? CleanLabel(string? label, string fallback)
    {
        var clean = string.IsNullOrWhiteSpace(label) ? fallback : label.Trim();
        return clean.Length <= 100 && !clean.Any(char.IsControl) ? clean : null;
    }

    public const string LabelRule = "A key's label is 1 to 100 characters, without control characters.";
}

public sealed record KeyLabelRequest(string? Label);

/// <summary>The key is shown here once and never again.</summary>
public sealed record NewKeyDto(string Id, string User, string Label, string Prefix, string Key);
