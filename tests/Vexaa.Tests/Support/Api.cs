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
}
