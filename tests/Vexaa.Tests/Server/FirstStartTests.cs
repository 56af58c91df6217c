using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Vexaa.Server.Hosting;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>
/// What a first start says, on a laptop and in a container (DOTNET_RUNNING_IN_CONTAINER=true, as in VExAA's image), and
/// how the sign-in cookie keys are kept in the database: encrypted with Vexaa:DataProtection:KeyRingKey, or deliberately not.
/// </summary>
public sealed class FirstStartTests
{
    private static readonly Dictionary<string, string> InContainer = new() { ["DOTNET_RUNNING_IN_CONTAINER"] = "true" };

    [Fact(Timeout = 60_000)]
    public async Task In_a_container_the_credentials_go_to_a_file_only_the_service_user_reads_and_the_log_says_where()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0, settings: InContainer);

        var file = Path.Combine(server.DataDirectory, FirstStart.CredentialsFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var key = (await File.ReadAllLinesAsync(file)).Single(l => l.Contains("API key:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        Assert.StartsWith("vx_", key);
        Assert.Contains(file, server.Output);
        Assert.Contains($"docker exec {Environment.MachineName} cat {file}", server.Output);
        Assert.Contains("vexaa users set-password admin", server.Output);
        Assert.DoesNotContain(key, server.Output);
        Assert.DoesNotContain("password:", server.Output);
        Assert.DoesNotContain("./vexaa", server.Output);
        using var client = server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task On_a_laptop_the_credentials_are_printed_once_and_no_file_is_written()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);

        Assert.StartsWith("vx_", server.AdminKey);
        Assert.Contains("./vexaa users set-password admin", server.Output);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, FirstStart.CredentialsFileName)));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080", false, "open http://localhost:8080 in a browser")]
    [InlineData("http://[::]:9000", false, "open http://localhost:9000 in a browser")]
    [InlineData("http://127.0.0.1:8080", false, "open http://127.0.0.1:8080 in a browser")]
    [InlineData("http://0.0.0.0:8080", true, "docker run -p 8080:8080")]
    public void The_running_line_names_an_address_one_can_open(string listening, bool inContainer, string expected)
    {
        var line = FirstStart.RunningLine(listening, 2, inContainer);

        Assert.Contains(expected, line);
        Assert.DoesNotContain("open http://0.0.0.0", line);
    }

    // Two starts of a server: on a loaded machine each can take a while.
    [Fact(Timeout = 120_000)]
    public async Task With_a_key_ring_key_the_cookie_keys_are_stored_encrypted_and_sessions_survive_a_restart()
    {
        var settings = new Dictionary<string, string> { ["Vexaa__DataProtection__KeyRingKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray()) };
        await using var server = await ServerProcess.StartAsync(workers: 0, settings: settings);
        var cookie = await SignInAsync(server);

        var xml = await KeyRingAsync(server);
        Assert.Contains("vexaaEncryptedKey", xml);
        Assert.DoesNotContain("masterKey", xml);
        await server.StopAsync();
        await server.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, await MeWithCookieAsync(server, cookie));
        Assert.DoesNotContain("No XML encryptor configured", server.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_a_key_ring_key_the_keys_are_stored_plainly_on_purpose_and_ASPNET_Core_does_not_warn()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        await SignInAsync(server);

        Assert.Contains("masterKey", await KeyRingAsync(server));
        Assert.DoesNotContain("No XML encryptor configured", server.Output);
        Assert.DoesNotContain("unencrypted", server.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_key_ring_key_that_is_not_32_bytes_of_base64_stops_the_start_naming_the_setting()
    {
        using var data = new TempDir();
        var r = await Proc.VexaaAsync(["serve", "--data", data.Path, "--urls", "http://127.0.0.1:0"],
            env: new Dictionary<string, string> { ["Vexaa__DataProtection__KeyRingKey"] = "CHANGE-ME" });

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Vexaa:DataProtection:KeyRingKey must be 32 bytes in base64", r.Stderr);
    }

    private static async Task<string> SignInAsync(ServerProcess server)
    {
        using var client = server.Client();
        client.DefaultRequestHeaders.Add("X-Requested-With", "vexaa");
        var response = await client.PostAsJsonAsync("/api/v1/session", new { username = "admin", password = server.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
    }

    private static async Task<HttpStatusCode> MeWithCookieAsync(ServerProcess server, string cookie)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode;
    }

    private static async Task<string> KeyRingAsync(ServerProcess server)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "vexaa.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(xml, '') FROM data_protection_keys";
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
