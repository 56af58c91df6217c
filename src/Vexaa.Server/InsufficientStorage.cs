using Vexaa.Storage;

namespace Vexaa.Server;

/// <summary>
/// 507 for a write that failed because the disk is full: the client did nothing wrong and may send the same bytes again
/// later, so it gets Retry-After rather than a 500. Whatever was written of the request is removed before answering.
/// </summary>
internal static class InsufficientStorage
{
    public const string Code = "insufficient-storage";

    // Room comes back when the janitor removes expired files or an operator frees some: minutes, not seconds.
    private const int RetryAfterSeconds = 60;

    public static ProblemHttpResult Answer(HttpContext context)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status507InsufficientStorage, Code, DiskFull.Message);
    }
}
