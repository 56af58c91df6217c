using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Vexaa.Data;
using Vexaa.Storage;

namespace Vexaa.Server.Hosting;

/// <summary>
/// The database or the object store being away for a moment (a restart, a failover, an S3 outage) is not the request's
/// fault nor a bug: 503 with a stable code and a Retry-After, so clients and proxies wait and try again, instead of a 500.
/// </summary>
internal sealed class OutageProblems(IProblemDetailsService problems, ILogger<OutageProblems> logger) : IExceptionHandler
{
    /// <summary>Long enough for a database restart or a failover to finish, short enough that a person is not left waiting.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (code, detail) = DatabaseOutage.Is(exception)
            ? ("database-unavailable", "The database cannot be reached at the moment. Nothing was changed; try again in a few seconds.")
            : StorageOutage.Is(exception)
                ? ("storage-unavailable", "The file storage cannot be reached at the moment. Nothing was stored; try again in a few seconds.")
                : (null, null);
        if (code is null)
        {
            return false;
        }

        // One line, not a stack trace per request: during an outage every request says the same.
        logger.LogWarning("{Method} {Path}: {Code} ({Error}: {Message})", context.Request.Method, context.Request.Path, code, exception.GetType().Name, exception.Message);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails =
            {
                Status = 503, Type = Problems.TypeOf(code), Title = Problems.Title(code), Detail = detail,
                Extensions = { ["code"] = code, ["retryAfterSeconds"] = RetryAfterSeconds },
            },
        });
    }
}
