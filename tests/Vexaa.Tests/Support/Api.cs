using System.Net.Http.Json;
using System.Text.Json;

namespace Vexaa.Tests.Support;

/// <summary>Small helpers for talking to the jobs API in tests.</summary>
public static class Api
{
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string file, Dictionary<string, string>? fields = null, string? idempotencyKey = null, string? fileName = null)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields ?? [])
        {
            form.Add(new StringContent(v), k);
        }

        var stream = File.OpenRead(file);
        form.Add(new StreamContent(stream), "file", fileName ?? Path.GetFileName(file));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<string> SubmitOkAsync(HttpClient client, string file, Dictionary<string, string>? fields = null)
    {
        var response = await SubmitAsync(client, file, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the job until it has finished (or the timeout passes) and returns it.</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient client, string id, TimeSpan? timeout = null, params string[] until)
    {
        var states = until.Length > 0 ? until : ["succeeded", "failed", "canceled"];
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonElement job = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                job = await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
                if (states.Contains(job.GetProperty("status").GetString()))
                {
                    return job;
                }
            }
            catch (HttpRequestException)
            {
                // The server may be restarting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Job {id} did not reach {string.Join("/", states)}: {job}");
    }

    public static string Status(this JsonElement job) => job.GetProperty("status").GetString()!;

    /// <summary>A client that keeps cookies, as a browser does, and sends the web page's CSRF header unless told not to.</summary>
    public static HttpClient CookieClient(Uri baseAddress, System.Net.CookieContainer? cookies = null, bool csrfHeader = true)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new System.Net.CookieContainer() }) { BaseAddress = baseAddress };
        if (csrfHeader)
        {
            client.DefaultRequestHeaders.Add("X-Requested-With", "vexaa");
        }

        return client;
    }

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { username = user, password });

    /// <summary>The status and ProblemDetails code of an error answer.</summary>
    public static async Task<(int Status, string? Code)> ProblemAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
