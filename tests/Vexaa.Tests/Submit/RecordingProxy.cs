using System.Collections.Concurrent;
using System.Net;

namespace Vexaa.Tests.Submit;

/// <summary>
/// A reverse proxy in front of a real server that records every request's method and path, streams answers through as
/// they come (so an event stream stays a stream), and can refuse the paths a test says with 502, as a proxy that does
/// not pass event streams would.
/// </summary>
public sealed class RecordingProxy : IDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase) { "Host", "Content-Length", "Connection", "Transfer-Encoding", "Expect" };

    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream;
    private readonly Func<string, bool> _refuse;

    public RecordingProxy(Uri upstream, Func<string, bool>? refuse = null)
    {
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = upstream, Timeout = Timeout.InfiniteTimeSpan };
        _refuse = refuse ?? (_ => false);
        Address = new Uri($"http://127.0.0.1:{CannedServer.FreePort()}/");
        _listener.Prefixes.Add(Address.ToString());
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                try
                {
                    var context = await _listener.GetContextAsync();
                    _ = Task.Run(() => ForwardAsync(context));
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
            }
        });
    }

    public Uri Address { get; }

    /// <summary>"METHOD /path" of every request, in the order they arrived.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.PathAndQuery;
        Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url.AbsolutePath}");
        try
        {
            if (_refuse(path))
            {
                context.Response.StatusCode = 502;
                context.Response.Close();
                return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), path.TrimStart('/'));
            if (context.Request.HasEntityBody)
            {
                request.Content = new StreamContent(context.Request.InputStream);
            }

            foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => !NotForwarded.Contains(n)))
            {
                var value = context.Request.Headers[name]!;
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !NotForwarded.Contains(h.Key)))
            {
                context.Response.Headers[name] = string.Join(", ", values);
            }

            context.Response.SendChunked = true;
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[16384];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                await context.Response.OutputStream.WriteAsync(buffer.AsMemory(0, read));
                await context.Response.OutputStream.FlushAsync();
            }

            context.Response.Close();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            context.Response.Abort();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _upstream.Dispose();
    }
}
