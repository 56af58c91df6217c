using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Vexaa.Cli.Submit;

/// <summary>
/// HTTP to one VExAA server with the caller's key: every failure becomes a <see cref="SubmitFailure"/> with its exit code,
/// a 429 is waited out as its Retry-After says (a bounded number of times), and a passing 502/503/504 is tried again.
/// </summary>
internal sealed class ServerApi(Uri server, string? apiKey, Action<string> notice) : IDisposable
{
    /// <summary>Rate-limited answers waited out before giving up with exit 52.</summary>
    public const int RateLimitRetries = 3;

    // Retry-After beyond this is not waited for: a script is better told at once.
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http = Create(server, apiKey);

    public Uri Server => server;

    private static HttpClient Create(Uri server, string? apiKey)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), AutomaticDecompression = DecompressionMethods.None };
        var http = new HttpClient(handler) { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("vexaa-submit/1");
        if (!string.IsNullOrEmpty(apiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return http;
    }

    /// <summary>Sends the request <paramref name="make"/> builds (again for each retry); answers other than 2xx and <paramref name="accept"/> throw.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken cancellationToken, params HttpStatusCode[] accept)
    {
        var transientTries = 0;
        for (var rateLimited = 0; ; )
        {
            using var request = make();
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw SubmitFailure.Unreachable($"cannot reach the server at {server}: {e.Message}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw SubmitFailure.Unreachable($"the server at {server} did not answer in time.");
            }

            if (response.IsSuccessStatusCode || accept.Contains(response.StatusCode))
            {
                return response;
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && rateLimited < RateLimitRetries && RetryAfter(response) is { } wait && wait <= LongestWait)
            {
                rateLimited++;
                response.Dispose();
                notice($"rate limited by the server; waiting {wait.TotalSeconds:0.#} s as it asks (retry {rateLimited} of {RateLimitRetries})");
                await Task.Delay(wait, cancellationToken);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout && transientTries < 3)
            {
                transientTries++;
                response.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(1 << transientTries), cancellationToken);
                continue;
            }

            throw await FailureAsync(response, cancellationToken);
        }
    }

    public async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(CliOutput.Json, cancellationToken)
                    ?? throw new JsonException("empty body");
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                throw new SubmitFailure(SubmitFailure.RefusedExit, "bad-answer", $"{server} answered {(int)response.StatusCode} with something that is not a VExAA answer ({e.Message}); is --server right?");
            }
            catch (HttpRequestException e)
            {
                throw SubmitFailure.Unreachable($"the connection to {server} broke: {e.Message}");
            }
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta
        ?? (response.Headers.RetryAfter?.Date is { } date ? TimeSpan.FromSeconds(Math.Max(0, (date - DateTimeOffset.UtcNow).TotalSeconds)) : null);

    private async Task<SubmitFailure> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var (code, detail) = await ProblemAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            return response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new SubmitFailure(SubmitFailure.UnauthenticatedExit, "unauthenticated", apiKey is { Length: > 0 }
                    ? "the server refused the API key; give a valid one with --api-key or VEXAA_API_KEY."
                    : "the server wants an API key; give one with VEXAA_API_KEY (or --api-key)."),
                HttpStatusCode.TooManyRequests => new SubmitFailure(SubmitFailure.RateLimitedExit, code ?? "rate-limited",
                    $"rate limited by the server{(RetryAfter(response) is { } w ? $" (Retry-After {w.TotalSeconds:0} s)" : "")}, still after {RateLimitRetries} waits: {detail ?? "429"}"),
                _ when status >= 500 => new SubmitFailure(SubmitFailure.UnreachableExit, code ?? "server-error", $"the server failed ({status}): {detail ?? response.ReasonPhrase}"),
                _ => SubmitFailure.FromServer(code, $"the server refused the request ({status}): {detail ?? response.ReasonPhrase}", SubmitFailure.RefusedExit),
            };
        }
    }

    private static async Task<(string? Code, string? Detail)> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            var root = json.RootElement;
            string? Get(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Get("code"), Get("detail") ?? Get("title"));
        }
        catch (Exception e) when (e is JsonException or HttpRequestException)
        {
            return (null, null);
        }
    }

    public void Dispose() => _http.Dispose();
}
