namespace Vexaa.Tests.Support;

/// <summary>
/// One server for a test class whose tests leave its settings alone and each make their own uploads and jobs, so no
/// assertion depends on what another test left behind. Classes that count everything on the server start their own.
/// </summary>
public sealed class SharedServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    /// <summary>A client signed in as the first admin, for the tests that need no other user.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(workers: 1);
        Admin = Server.Client(Server.AdminKey);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Server.DisposeAsync();
    }
}
