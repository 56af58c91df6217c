using Microsoft.Extensions.Hosting;

namespace Vexaa.Server.Jobs;

/// <summary>
/// Event streams last until the client leaves or this process begins to stop, whichever comes first: an open stream must
/// not hold up shutdown (Kestrel waits for open requests), and clients reconnect to another replica anyway.
/// </summary>
internal static class StreamLifetime
{
    public static CancellationToken For(HttpContext context)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        context.Response.RegisterForDispose(linked);
        return linked.Token;
    }
}
