using System.Net;
using System.Net.Http.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>What the API answers, checked in process: each test builds its own server on a TestServer, no process is started.</summary>
public sealed class HttpContractTests
{
    [Fact(Timeout = 30_000)]
    public async Task Healthz_answers_alive_without_authentication()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", (await Api.JsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact(Timeout = 30_000)]
    public async Task The_job_list_without_credentials_is_a_401_problem_with_its_code()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client();

        using var response = await client.GetAsync("/api/v1/jobs");

        Assert.Equal((401, "unauthenticated"), await Api.ProblemAsync(response));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_api_key_is_a_401_problem_with_its_code()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("vx_not-a-real-key");

        using var response = await client.GetAsync("/api/v1/jobs");

        Assert.Equal((401, "unauthenticated"), await Api.ProblemAsync(response));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_job_request_that_is_not_json_is_a_400_problem_with_its_code()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(server.AdminKey);
        using var body = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/v1/jobs", body);

        Assert.Equal((400, "invalid-request"), await Api.ProblemAsync(response));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_job_id_is_a_404_problem_with_its_code()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(server.AdminKey);

        using var response = await client.GetAsync("/api/v1/jobs/aaaaaaaaaaaaaaaaaaaaaaaaaa");

        Assert.Equal((404, "not-found"), await Api.ProblemAsync(response));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_upload_id_that_does_not_exist_is_a_404_problem_not_a_job()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(server.AdminKey);

        using var response = await client.PostAsJsonAsync("/api/v1/jobs", new { uploadId = "aaaaaaaaaaaaaaaaaaaaaaaaaa" });

        Assert.Equal((404, "input-not-found"), await Api.ProblemAsync(response));
        var jobs = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/jobs");
        Assert.Equal(0, jobs.GetProperty("jobs").GetArrayLength());
    }
}
