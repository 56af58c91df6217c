using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Webhooks to a real receiver on loopback: payloads, signatures, retries, and the private-network guard.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebhookTests(TestMedia media) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private ServerProcess _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(settings: new()
        {
            ["Vexaa__Webhooks__AllowPrivateNetworks"] = "true",
            ["Vexaa__Webhooks__RetryBaseSeconds"] = "0.2",
        });
        _client = _server.Client(_server.AdminKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<string> SecretAsync() =>
        (await _client.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("webhookSecret").GetString()!;

    /// <summary>Checks a Vexaa-Signature the way a receiver would: recompute the HMAC over "t.body" and compare.</summary>
    private static bool SignatureMatches(string header, string body, string secret)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{body}"));
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
    }

    private static long SignedAt(string header) => long.Parse(header.Split(',')[0]["t=".Length..]);

    [Fact(Timeout = 120_000)]
    public async Task A_succeeded_job_posts_one_signed_job_succeeded_payload()
    {
        using var receiver = new WebhookReceiver();
        var id = await Api.SubmitOkAsync(_client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["normalize"] = "podcast", ["webhookUrl"] = receiver.Url() });
        var finished = await Api.WaitAsync(_client, id);
        Assert.Equal("succeeded", finished.Status());

        var delivery = await receiver.NextAsync(Patience);

        Assert.NotNull(delivery);
        Assert.Equal("POST", delivery.Method);
        Assert.Equal("/hooks/vexaa", delivery.Path);
        Assert.StartsWith("application/json", delivery.ContentType);
        Assert.False(string.IsNullOrEmpty(delivery.DeliveryId));
        using var payload = JsonDocument.Parse(delivery.Body);
        Assert.Equal("job.succeeded", payload.RootElement.GetProperty("type").GetString());
        var job = payload.RootElement.GetProperty("job");
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
        // The loudness report travels with the results: the same figures the job shows.
        var result = Assert.Single(job.GetProperty("results").EnumerateArray());
        Assert.Equal("good-h264-aac.mp3", result.GetProperty("fileName").GetString());
        var loudness = result.GetProperty("loudness");
        var shown = finished.GetProperty("results")[0].GetProperty("loudness");
        Assert.Equal("podcast", loudness.GetProperty("target").GetString());
        Assert.Equal(-16, loudness.GetProperty("targetLufs").GetDouble());
        Assert.Equal(shown.GetProperty("output").GetProperty("integratedLufs").GetDouble(), loudness.GetProperty("output").GetProperty("integratedLufs").GetDouble());
        Assert.Equal(shown.GetProperty("gainDb").GetDouble(), loudness.GetProperty("gainDb").GetDouble());
        Assert.True(shown.GetProperty("targetMet").GetBoolean(), shown.ToString());
        Assert.InRange(shown.GetProperty("output").GetProperty("integratedLufs").GetDouble(), -17, -15);
        Assert.True(shown.GetProperty("output").GetProperty("truePeakDbtp").GetDouble() <= -0.9);
        Assert.Equal(Math.Round(shown.GetProperty("output").GetProperty("integratedLufs").GetDouble() - shown.GetProperty("input").GetProperty("integratedLufs").GetDouble(), 2),
            shown.GetProperty("gainDb").GetDouble(), 2);
        Assert.True(shown.GetProperty("input").GetProperty("loudnessRange").ValueKind == JsonValueKind.Number);
        Assert.Equal(shown.GetProperty("outputLufs").GetDouble(), shown.GetProperty("output").GetProperty("integratedLufs").GetDouble(), 1);

        var secret = await SecretAsync();
        Assert.True(SignatureMatches(delivery.Signature!, delivery.Body, secret), delivery.Signature);
        Assert.False(SignatureMatches(delivery.Signature!, delivery.Body.Replace("succeeded", "failed"), secret));
        Assert.False(SignatureMatches(delivery.Signature!, delivery.Body, secret + "x"));
        Assert.InRange(SignedAt(delivery.Signature!), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Null(await receiver.NextAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failed_job_posts_job_failed_with_its_error_code()
    {
        using var receiver = new WebhookReceiver();
        var id = await Api.SubmitOkAsync(_client, media["broken-no-audio.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = receiver.Url() });
        Assert.Equal("failed", (await Api.WaitAsync(_client, id)).Status());

        var delivery = await receiver.NextAsync(Patience);

        Assert.NotNull(delivery);
        using var payload = JsonDocument.Parse(delivery.Body);
        Assert.Equal("job.failed", payload.RootElement.GetProperty("type").GetString());
        var job = payload.RootElement.GetProperty("job");
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("no-audio-stream", job.GetProperty("error").GetProperty("code").GetString());
        Assert.True(SignatureMatches(delivery.Signature!, delivery.Body, await SecretAsync()));
        Assert.Null(await receiver.NextAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_receiver_that_answers_500_first_gets_the_same_delivery_on_a_retry()
    {
        using var receiver = new WebhookReceiver(500);
        var id = await Api.SubmitOkAsync(_client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = receiver.Url() });

        var failed = await receiver.NextAsync(Patience + Patience);
        var retried = await receiver.NextAsync(Patience);

        Assert.NotNull(failed);
        Assert.NotNull(retried);
        Assert.Equal(500, failed.AnsweredWith);
        Assert.Equal(200, retried.AnsweredWith);
        Assert.Equal(failed.DeliveryId, retried.DeliveryId);
        Assert.Equal(failed.Body, retried.Body);
        Assert.Contains(id, retried.Body);
        Assert.True(SignatureMatches(retried.Signature!, retried.Body, await SecretAsync()));
        Assert.Null(await receiver.NextAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact(Timeout = 120_000)]
    public async Task With_default_settings_a_loopback_webhook_is_never_delivered_but_the_job_succeeds()
    {
        await using var server = await ServerProcess.StartAsync(settings: new() { ["Vexaa__Webhooks__RetryBaseSeconds"] = "0.2" });
        using var client = server.Client(server.AdminKey);
        using var receiver = new WebhookReceiver();

        var byAddress = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = receiver.Url() });
        var byName = await Api.SubmitOkAsync(client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = receiver.Url("localhost") });

        Assert.Equal("succeeded", (await Api.WaitAsync(client, byAddress)).Status());
        Assert.Equal("succeeded", (await Api.WaitAsync(client, byName)).Status());
        Assert.Null(await receiver.NextAsync(TimeSpan.FromSeconds(5)));
        // Not merely slow: the dispatcher tried, was refused by the address guard, and gave up on both for good.
        Assert.Equal(2, server.Output.Split('\n').Count(l => l.Contains("private or loopback") && l.Contains("(giving up)")));
    }

    [Fact(Timeout = 120_000)]
    public async Task Invalid_webhook_urls_are_refused_at_submission_with_400_invalid_option()
    {
        string[] urls = ["ftp://example.com/hook", "http://user:pass@example.com/hook", "https://token@example.com/hook", "file:///etc/passwd", "/relative/hook", "not a url"];
        foreach (var url in urls)
        {
            using var response = await Api.SubmitAsync(_client, media["good-h264-aac.mp4"], new() { ["format"] = "mp3", ["webhookUrl"] = url });

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {response.StatusCode}");
            Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType!.ToString());
            var problem = await Api.JsonAsync(response);
            Assert.Equal("invalid-option", problem.GetProperty("code").GetString());
            Assert.Contains("webhookUrl", problem.GetProperty("detail").GetString());
        }

        var jobs = await _client.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
        Assert.Equal(0, jobs.GetProperty("jobs").GetArrayLength());
    }
}
