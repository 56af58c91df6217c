using System.Collections.Concurrent;

namespace Vexaa.Media;

/// <summary>
/// The first line of <c>ffmpeg -version</c> ("ffmpeg version 5.1.8-0+deb12u1"), which archives record beside the command
/// lines: the same arguments can give other bytes from another build. Asked once per binary; only an answer is kept.
/// </summary>
public static class FfmpegVersion
{
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    public static async Task<string> OfAsync(MediaTools tools, CancellationToken cancellationToken)
    {
        if (Known.TryGetValue(tools.Ffmpeg, out var known))
        {
            return known;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var result = await ToolRunner.RunAsync(tools.Ffmpeg, ["-hide_banner", "-version"], new SandboxView([], []), tools.Sandbox, null, null, timeout.Token)
            .ConfigureAwait(false);
        var first = result.Stdout.Split('\n', 2)[0].Trim();
        if (result.ExitCode != 0 || !first.StartsWith("ffmpeg version ", StringComparison.Ordinal))
        {
            return "unknown";
        }

        // The copyright notice after the version says nothing about the build.
        var copyright = first.IndexOf(" Copyright", StringComparison.Ordinal);
        return Known[tools.Ffmpeg] = copyright > 0 ? first[..copyright] : first;
    }
}
