namespace Vexaa.Data;

/// <summary><c>Vexaa:Retention</c>: how long results, failed inputs and unfinished uploads are kept (Jobs and Uploads both keep to it).</summary>
public sealed class RetentionOptions
{
    public const string Section = Settings.Root + ":Retention";

    public double ResultsHours { get; set; } = 24;

    /// <summary>How long a failed job keeps its input so it can be retried; successful and canceled jobs drop it at once.</summary>
    public double FailedInputHours { get; set; } = 24;
    public double UploadHours { get; set; } = 24;

    /// <summary>How long a succeeded job keeps its input so it can be converted again with other settings (0: deleted at once).</summary>
    public double InputHours { get; set; } = 24;
    public double JanitorSeconds { get; set; } = 60;

    public IEnumerable<string> Problems() =>
    [
        .. Settings.Range($"{Section}:ResultsHours", ResultsHours, 0.001, 24 * 3650),
        .. Settings.Range($"{Section}:FailedInputHours", FailedInputHours, 0, 24 * 3650),
        .. Settings.Range($"{Section}:UploadHours", UploadHours, 0.001, 24 * 3650),
        .. Settings.Range($"{Section}:InputHours", InputHours, 0, 24 * 3650),
        .. Settings.Range($"{Section}:JanitorSeconds", JanitorSeconds, 0.1, 86400),
    ];
}
