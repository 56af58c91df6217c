using System.Text.Json;
using System.Text.RegularExpressions;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.OpenApi;

/// <summary>What the document says of the parts the framework cannot infer: bodies, problems, tus, streams, downloads.</summary>
public sealed class OpenApiShapeTests(SharedServer shared, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SharedServer>
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = shared.Server.Client();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));
        return document.RootElement.Clone();
    }

    private static JsonElement Op(JsonElement doc, string path, string method) => doc.GetProperty("paths").GetProperty(path).GetProperty(method);

    [Fact(Timeout = 90_000)]
    public async Task The_job_form_problems_and_numbers_are_typed()
    {
        var doc = await DocumentAsync();
        var schemas = doc.GetProperty("components").GetProperty("schemas");

        var content = Op(doc, "/api/v1/jobs", "post").GetProperty("requestBody").GetProperty("content");
        var form = schemas.GetProperty("JobForm").GetProperty("properties");
        Assert.True(content.TryGetProperty("multipart/form-data", out _) && content.TryGetProperty("application/json", out _));
        Assert.Equal("binary", form.GetProperty("file").GetProperty("format").GetString());
        Assert.Contains("flac", form.GetProperty("format").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.True(schemas.GetProperty("JobFromUpload").GetProperty("properties").TryGetProperty("uploadId", out _));
        // Every field the server takes is described, so a generated client can send it (the two bodies differ in where the input comes from).
        var json = schemas.GetProperty("JobFromUpload").GetProperty("properties");
        foreach (var field in Vexaa.Server.Jobs.JobRequestFields.Names)
        {
            var inForm = field is not ("uploadId" or "uploadIds" or "fromJob");
            Assert.True(!inForm || form.TryGetProperty(field, out _), $"the form does not describe '{field}'");
            Assert.True(json.TryGetProperty(field, out _), $"the JSON body does not describe '{field}'");
        }

        var problem = schemas.GetProperty("ProblemDetails").GetProperty("properties");
        Assert.True(problem.TryGetProperty("code", out _) && problem.TryGetProperty("retryAfterSeconds", out _));
        Assert.Equal(["queued", "running", "succeeded", "failed", "canceled"],
            schemas.GetProperty("JobDto").GetProperty("properties").GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));
        Assert.DoesNotContain("\"pattern\": \"^-?(?:0|[1-9]", doc.GetRawText());
        Assert.Equal("number", schemas.GetProperty("JobDto").GetProperty("properties").GetProperty("progress").GetProperty("type").GetString());
    }

    [Fact(Timeout = 90_000)]
    public async Task Security_applies_per_route_and_every_operation_has_a_4xx()
    {
        var doc = await DocumentAsync();
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("cookie", schemes.GetProperty("session").GetProperty("in").GetString());
        Assert.Equal("[{}]", Op(doc, "/api/v1/session", "post").GetProperty("security").GetRawText().Replace(" ", "").Replace("\n", ""));
        Assert.Equal(3, Op(doc, "/api/v1/jobs", "get").GetProperty("security").GetArrayLength());
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject())
            {
                Assert.Contains(op.Value.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('4'));
            }
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task Tus_streams_and_downloads_say_their_real_statuses_headers_and_types()
    {
        var doc = await DocumentAsync();
        var create = Op(doc, "/api/v1/uploads", "post").GetProperty("responses");
        Assert.False(create.TryGetProperty("200", out _));
        Assert.True(create.GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(Op(doc, "/api/v1/uploads/{id}", "patch").GetProperty("responses").GetProperty("204").GetProperty("headers").TryGetProperty("Upload-Offset", out _));
        Assert.True(Op(doc, "/api/v1/uploads/{id}", "head").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("Upload-Offset", out _));
        Assert.True(Op(doc, "/api/v1/jobs/{id}/events", "get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        var download = Op(doc, "/api/v1/jobs/{id}/result", "get").GetProperty("responses");
        foreach (var status in new[] { "200", "206", "304", "404", "409", "416" })
        {
            Assert.True(download.TryGetProperty(status, out _), $"no {status}");
        }

        Assert.True(download.GetProperty("200").GetProperty("content").TryGetProperty("audio/*", out _));
        Assert.True(Op(doc, "/api/v1/jobs/archive", "get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/zip", out _));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_reference_page_is_vexaas_and_requests_nothing_from_another_host()
    {
        using var browser = Browser.StartRecordingRequests(shared.Server.BaseAddress);
        browser.Open("/docs");
        browser.WaitFor(() => browser.FindAll(".vexaa-back a").FirstOrDefault(), "the link back to the app");
        browser.WaitFor(() => browser.Driver.PageSource.Contains("createJob", StringComparison.Ordinal) || browser.Driver.PageSource.Contains("Create a job", StringComparison.Ordinal) ? "" : null, "the operations");
        await Task.Delay(2000);

        var requested = browser.RequestedUrls();
        // Chromium's own pages (chrome://, the blank tab) are not the page's; every network request must go to the server.
        var network = requested.Where(u => Regex.IsMatch(u, "^(https?|wss?|ftp)://")).ToList();
        var outside = network.Where(u => !u.StartsWith(shared.Server.BaseAddress.ToString(), StringComparison.Ordinal)).ToList();
        output.WriteLine("The reference page requested:\n" + string.Join('\n', network));
        Assert.True(outside.Count == 0, "requests to other hosts:\n" + string.Join('\n', outside) + "\nall:\n" + string.Join('\n', network));
        Assert.Contains(requested, u => u.EndsWith("/openapi/v1.json", StringComparison.Ordinal));
        Assert.Equal("/", browser.Find(".vexaa-back a").GetAttribute("href")!.Replace(shared.Server.BaseAddress.ToString(), "/"));
        Assert.StartsWith("VExAA", browser.Driver.Title);
        var text = browser.Find("body").Text;
        foreach (var vendor in new[] { "Ask AI", "Generate SDK", "Deploy", "Generate MCP" })
        {
            Assert.DoesNotContain(vendor, text);
        }

        Assert.Empty(browser.ConsoleErrors());
    }
}
