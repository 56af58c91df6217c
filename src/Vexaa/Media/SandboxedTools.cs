using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
namespace Vexaa.Media;

/// <summary>
/// ffmpeg and ffprobe as this host runs them: located once, with the sandbox chosen once by trying it (see
/// <see cref="ToolSandbox.DetectAsync"/>), and the choice logged so an operator sees which isolation is in force.
/// </summary>
public sealed class SandboxedTools(IOptions<SandboxOptions> options, ILogger<SandboxedTools> logger)
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private MediaTools? _tools;

    /// <summary>The sandbox in force, or null before the first job or probe asked for the tools.</summary>
    public ToolSandbox? Sandbox => _tools?.Sandbox;

    public async Task<MediaTools> GetAsync(CancellationToken cancellationToken)
    {
        if (_tools is { } ready)
        {
            return ready;
        }

        await _once.WaitAsync(cancellationToken);
        try
        {
            if (_tools is null)
            {
                var located = MediaTools.Locate();
                var settings = options.Value;
                var sandbox = await ToolSandbox.DetectAsync(settings.Mode, settings.ToLimits(), located.Ffmpeg, cancellationToken);
                logger.LogInformation("ffmpeg sandbox: {Sandbox}", sandbox.Summary);
                _tools = located with { Sandbox = sandbox };
            }

            return _tools;
        }
        finally
        {
            _once.Release();
        }
    }
}
