namespace Vexaa.Metrics;

/// <summary><c>Vexaa:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = Settings.Root + ":Metrics";

    /// <summary>Serve /metrics without authentication (for a Prometheus inside a network policy); otherwise it needs an admin's key.</summary>
    public bool AllowAnonymous { get; set; }
}
