using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Vexaa.Data;
using Vexaa.Server.Auth;
using Vexaa.Server.OpenApi;

namespace Vexaa.Server.Hosting;

/// <summary>The HTTP side: authentication (API keys, cookie sessions), authorization by default, rate limits, ProblemDetails.</summary>
public static class ApiServices
{
    public const string AuthScheme = "Vexaa";

    public static IServiceCollection AddVexaaApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<JsonOptions>(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Problems the framework makes itself (unknown route, wrong method, bad JSON) get the same stable shape.
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (!context.ProblemDetails.Extensions.ContainsKey("code"))
            {
                var code = Problems.CodeFor(status);
                context.ProblemDetails.Extensions["code"] = code;
                context.ProblemDetails.Type = Problems.TypeOf(code);
                context.ProblemDetails.Title = Problems.Title(code);
                context.ProblemDetails.Detail ??= status switch
                {
                    400 => "The request could not be read: check that its body and parameters have the documented shape (see /openapi/v1.json).",
                    401 => "Sign in, or send an API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.",
                    404 => "There is nothing at this address.",
                    >= 500 => "The server could not complete the request. It has been logged; try again later.",
                    _ => null,
                };
            }

            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions.Remove("exception");
        });
        services.AddExceptionHandler<BadRequestAsProblem>();
        services.AddExceptionHandler<OutageProblems>();

        services.AddAuthentication(AuthScheme)
            .AddPolicyScheme(AuthScheme, "API key or session", o => o.ForwardDefaultSelector = context =>
                ApiKeyAuthentication.KeyFrom(context.Request) is not null ? ApiKeyAuthentication.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCookie(o =>
            {
                o.Cookie.Name = "vexaa_session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromDays(7);
                o.SlidingExpiration = true;
                // An API answers 401/403, never a redirect to a login page.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = 401; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = 403; return Task.CompletedTask; };
                o.Events.OnValidatePrincipal = RefreshSessionAsync;
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(AuthScheme).RequireAuthenticatedUser().Build())
            .AddPolicy("admin", p => p.AddAuthenticationSchemes(AuthScheme).RequireRole("admin"));

        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserId() : null;
                if (user is null)
                {
                    return RateLimitPartition.GetNoLimiter("anonymous");
                }

                var services = context.RequestServices;
                var perMinute = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Vexaa.Jobs.LimitsOptions>>().Value.RequestsPerMinute;
                return RateLimitPartition.Get(user, key =>
                    new SharedWindowLimiter(key, perMinute, services.GetRequiredService<Vexaa.Redis.RedisConnection>(), services.GetRequiredService<TimeProvider>()));
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Of(429, "rate-limited", $"Too many requests; try again in {retryAfter} s.", new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfter })
                    .ExecuteAsync(context.HttpContext);
            };
        });
        services.AddSingleton<Account.SignInThrottle>();
        services.AddSingleton<Admin.PersonRemoval>();
        services.AddVexaaOpenApi();
        return services;
    }

    /// <summary>
    /// A session ends when its user is deleted or disabled, or their security stamp changed (sign-out, new password),
    /// checked against the database on every request so it holds on every replica; it follows the user's role as it changes.
    /// </summary>
    private static async Task RefreshSessionAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<Vexaa.Auth.UserAccounts>();
        var user = id is null ? null : await accounts.FindByIdAsync(id, context.HttpContext.RequestAborted);
        if (user is null || user.DisabledAt is not null || user.SecurityStamp != (context.Principal!.FindFirst(CurrentUser.StampClaim)?.Value ?? ""))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
        else if (user.IsAdmin != context.Principal!.IsAdmin() || user.Name != context.Principal!.Identity?.Name)
        {
            context.ReplacePrincipal(CurrentUser.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            context.ShouldRenew = true;
        }
    }

    /// <summary>
    /// Session cookies are encrypted with keys kept in the database, so sessions survive restarts and work on every API
    /// replica (see <see cref="DatabaseKeyRing"/>). The keys themselves are encrypted with Vexaa:DataProtection:KeyRingKey
    /// when it is set (<see cref="KeyRingKey"/>); otherwise they are stored unencrypted on purpose, said so explicitly
    /// (the null encryptor) instead of ASP.NET Core warning at every new key that no encryptor is configured.
    /// </summary>
    public static IServiceCollection AddVexaaDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var key = KeyRingKey.From(configuration);
        services.AddSingleton(key);
        services.AddDataProtection().SetApplicationName("vexaa");
        services.AddOptions<KeyManagementOptions>()
            .Configure<Database, TimeProvider, IServiceProvider>((options, database, time, provider) =>
            {
                options.XmlRepository = new DatabaseKeyRing(database, time);
                options.XmlEncryptor = key.Bytes is null ? new NullXmlEncryptor(provider) : new KeyRingEncryptor(key);
            });
        return services;
    }

    /// <summary>Malformed requests the framework rejects by exception (a body over the limit, a broken form) answer 4xx, not 500.</summary>
    private sealed class BadRequestAsProblem(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            context.Response.StatusCode = bad.StatusCode;
            var code = Problems.CodeFor(bad.StatusCode);
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = bad.StatusCode, Type = Problems.TypeOf(code), Title = Problems.Title(code), Detail = bad.Message, Extensions = { ["code"] = code } },
            });
        }
    }
}
