namespace Vexaa.Webhooks;

/// <summary><c>Vexaa:Webhooks</c>: where and how finished jobs are announced.</summary>
public sealed class WebhooksOptions
{
    public const string Section = Settings.Root + ":Webhooks";

    /// <summary>Allow webhooks to private, loopback and link-local addresses (off: the server cannot be used to probe its own network).</summary>
    public bool AllowPrivateNetworks { get; set; }
    public int MaxAttempts { get; set; } = 6;
    public double TimeoutSeconds { get; set; } = 10;
    public double RetryBaseSeconds { get; set; } = 2;

    public IEnumerable<string> Problems() =>
    [
        .. Settings.Range($"{Section}:MaxAttempts", MaxAttempts, 1, 50),
        .. Settings.Range($"{Section}:TimeoutSeconds", TimeoutSeconds, 1, 300),
    ];
}
