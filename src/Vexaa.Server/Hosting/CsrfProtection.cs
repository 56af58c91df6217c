using Vexaa.Server.Auth;

namespace Vexaa.Server.Hosting;

/// <summary>
/// Cross-site request forgery: the session cookie is SameSite=Strict, and on top of that a request that changes
/// something with the cookie (or signs in) must carry <c>X-Requested-With: vexaa</c>. A page on another site cannot add
/// that header without a CORS preflight, which this server never grants. Requests with an API key are exempt: a
/// browser never adds one by itself.
/// </summary>
public static class CsrfProtection
{
    public const string HeaderName = "X-Requested-With";
    public const string HeaderValue = "vexaa";

    public static IApplicationBuilder UseCsrfProtection(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
        var signingIn = request.Path.StartsWithSegments("/api/v1/session") && HttpMethods.IsPost(request.Method);
        if (unsafeMethod
            && ApiKeyAuthentication.KeyFrom(request) is null
            && (context.User.Identity?.IsAuthenticated == true || signingIn)
            && !string.Equals(request.Headers[HeaderName].ToString(), HeaderValue, StringComparison.Ordinal))
        {
            await Problems.Of(403, "csrf", $"Requests made with the session cookie that change something must send the header '{HeaderName}: {HeaderValue}'.")
                .ExecuteAsync(context);
            return;
        }

        await next(context);
    });
}
