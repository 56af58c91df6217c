namespace Vexaa.Jobs;

/// <summary><c>Vexaa:Events</c>: the job event streams.</summary>
public sealed class EventsOptions
{
    public const string Section = Settings.Root + ":Events";

    /// <summary>How often an event stream reads the database for changes no message told it about (other processes without Redis).</summary>
    public double PollSeconds { get; set; } = 2;

    public IEnumerable<string> Problems() => Settings.Range($"{Section}:PollSeconds", PollSeconds, 0.1, 3600);
}
