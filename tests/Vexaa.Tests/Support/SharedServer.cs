namespace Vexaa.Tests.Support;

/// <summary>One server for a test class whose tests leave its settings alone and each make their own uploads and jobs.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(workers: 1);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
