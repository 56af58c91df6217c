using Vexaa.Tests.Support;

namespace Vexaa.Tests.Server;

/// <summary>Start-up: wrong settings stop the server with a message naming the setting; one data folder, one server.</summary>
public sealed class StartupTests
{

    [Theory(Timeout = 60_000)]
    [InlineData("Vexaa__Workers__Count", "-1", "Vexaa:Workers:Count")]
    [InlineData("Vexaa__Workers__Count", "many", "Vexaa:Workers:Count")]
    [InlineData("Vexaa__Database__Provider", "oracle", "Vexaa:Database:Provider")]
    [InlineData("Vexaa__Storage__Provider", "s3", "Vexaa:Storage:S3:Bucket")]
    [InlineData("Vexaa__Limits__MaxUploadBytes", "0", "Vexaa:Limits:MaxUploadBytes")]
    [InlineData("Vexaa__Retention__ResultsHours", "-5", "Vexaa:Retention:ResultsHours")]
    public async Task An_invalid_setting_stops_the_start_naming_the_setting(string variable, string value, string named)
    {
        using var data = new TempDir();
        var r = await Proc.VexaaAsync(["serve", "--data", data.Path, "--urls", "http://127.0.0.1:0"], env: new Dictionary<string, string> { [variable] = value });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_server_on_the_same_data_folder_refuses_to_start()
    {
        await using var first = await ServerProcess.StartAsync(workers: 0);
        var r = await Proc.VexaaAsync(["serve", "--data", first.DataDirectory, "--urls", "http://127.0.0.1:0"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Another VExAA process is already using the data folder", r.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_first_start_prints_the_admin_credentials_once_and_never_logs_them()
    {
        await using var server = await ServerProcess.StartAsync(workers: 0);
        Assert.StartsWith("vx_", server.AdminKey);
        Assert.Equal(1, server.Output.Split(server.AdminKey).Length - 1);
        await server.StopAsync();
        await server.RestartAsync();
        Assert.Equal(1, server.Output.Split(server.AdminKey).Length - 1);
        using var client = server.Client(server.AdminKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }
}
