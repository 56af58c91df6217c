using System.Net;

namespace Vexaa.Tests.Support;

/// <summary>Stand-in HTTP servers built on <see cref="HttpListener"/>.</summary>
public static class Listening
{
    /// <summary>Each request the listener receives, until it is stopped.</summary>
    public static async IAsyncEnumerable<HttpListenerContext> RequestsAsync(this HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                yield break;
            }

            yield return context;
        }
    }
}
