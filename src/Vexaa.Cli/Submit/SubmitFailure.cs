using Vexaa.Media;

namespace Vexaa.Cli.Submit;

/// <summary>
/// Why talking to a server failed, with an exit code beside extract's (which stop at 25): scripts can tell a server
/// they cannot reach from a key it refuses, a rate limit, a conversion that failed there, and a request it turned down.
/// </summary>
internal sealed class SubmitFailure(int exitCode, string code, string message) : Exception(message)
{
    public const int UnreachableExit = 50;
    public const int UnauthenticatedExit = 51;
    public const int RateLimitedExit = 52;
    public const int JobFailedExit = 53;
    public const int RefusedExit = 54;

    public int ExitCode { get; } = exitCode;

    /// <summary>The stable code: the server's own when it gave one, else server-unreachable, unauthenticated, ….</summary>
    public string Code { get; } = code;

    public static SubmitFailure Unreachable(string message) => new(UnreachableExit, "server-unreachable", message);

    /// <summary>
    /// A failure the server reported with one of the engine's codes is the same failure extract reports, so it gets the
    /// same exit code (a video without audio is 15 wherever it was converted); other codes get <paramref name="fallbackExit"/>.
    /// </summary>
    public static SubmitFailure FromServer(string? code, string message, int fallbackExit)
    {
        var media = MediaErrors.All.Where(e => e.Code() == code).Select(e => (MediaError?)e).FirstOrDefault();
        return media is { } error
            ? new SubmitFailure(error.ExitCode(), code!, message)
            : new SubmitFailure(fallbackExit, code ?? (fallbackExit == JobFailedExit ? "job-failed" : "refused"), message);
    }

    public static SubmitFailure From(MediaException e) => new(e.Error.ExitCode(), e.Error.Code(), e.Message);
}
