using Vexaa.Media;

namespace Vexaa.Server;

/// <summary>
/// Every error answer is RFC 9457 ProblemDetails with a stable <c>type</c> (<c>/errors/{code}</c>), the same <c>code</c> as an
/// extension, and a sentence a person can act on. Never a stack trace.
/// </summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string detail, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: Title(code), type: TypeOf(code), extensions: extensions);
    }

    public static string TypeOf(string code) => "/errors/" + code;

    public static ProblemHttpResult InvalidOption(string detail) => Of(400, "invalid-option", detail);

    public static ProblemHttpResult NotFound(string what = "job") => Of(404, "not-found", $"There is no {what} with that id.");

    public static ProblemHttpResult From(MediaException e) => Of(e.Error switch
    {
        MediaError.InvalidOption or MediaError.UnknownSplitMode => 400,
        MediaError.InputNotFound => 404,
        _ => 422,
    }, e.Error.Code(), e.Message);

    /// <summary>A short title per code; the detail carries the specifics.</summary>
    public static string Title(string code) => code switch
    {
        "invalid-option" => "An option is not valid",
        "invalid-request" => "The request is not valid",
        "not-found" => "Not found",
        "unauthenticated" => "Authentication required",
        "forbidden" => "Not allowed",
        "payload-too-large" => "The upload is too large",
        "quota-exceeded" => "Storage quota exceeded",
        "rate-limited" => "Too many requests",
        "too-many-active-jobs" => "Too many jobs in progress",
        "conflict" => "Conflict",
        "not-finished" => "The job has no result yet",
        "csrf" => "Cross-site request refused",
        "invalid-credentials" => "Wrong user name or password",
        "upload-unfinished" => "The upload is not complete",
        "internal-error" => "Something went wrong on our side",
        "database-unavailable" => "The database is unavailable",
        "storage-unavailable" => "The file storage is unavailable",
        _ => code.Replace('-', ' '),
    };

    /// <summary>The code for an HTTP status the framework produced on its own (404 route, 405, 415, ...).</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "invalid-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        >= 500 => "internal-error",
        _ => "http-" + status,
    };
}
