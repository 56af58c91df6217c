using Microsoft.Extensions.Logging;

namespace Vexaa.Packaging;

/// <summary>
/// Keeps the ffmpeg command lines an extraction logs ("Running {CommandLine}", at debug level) so a bag can record exactly
/// what made its payload, and passes every message on to <paramref name="inner"/> unchanged.
/// </summary>
public sealed class CommandLineRecorder(ILogger? inner = null) : ILogger
{
    private readonly List<string> _commandLines = [];

    /// <summary>The command lines seen so far, in the order they ran.</summary>
    public IReadOnlyList<string> CommandLines
    {
        get
        {
            lock (_commandLines)
            {
                return [.. _commandLines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner?.BeginScope(state);

    // Debug must count as enabled, or the extractor would not build the message we are here for.
    public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug || (inner?.IsEnabled(logLevel) ?? false);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "CommandLine").Value is string commandLine)
        {
            lock (_commandLines)
            {
                _commandLines.Add(commandLine);
            }
        }

        if (inner?.IsEnabled(logLevel) == true)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
