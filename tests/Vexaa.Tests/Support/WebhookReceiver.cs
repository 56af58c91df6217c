using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Vexaa.Tests.Support;

/// <summary>
/// A webhook endpoint on a free loopback port: records every request and answers them with the given statuses in turn
/// (then 200), so a test can make the first delivery fail and watch the retry.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    public sealed record Request(string Method, string Path, string Body, string? ContentType, string? Signature, string? DeliveryId, int AnsweredWith);

    private readonly HttpListener _listener = new();
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>();
    private readonly Queue<int> _statuses;
    private readonly Task _loop;

    public WebhookReceiver(params int[] statuses)
    {
        _statuses = new Queue<int>(statuses);
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string host = "127.0.0.1") => $"http://{host}:{Port}/hooks/vexaa";

    /// <summary>The next request, or null if none arrives within <paramref name="timeout"/>.</summary>
    public async Task<Request?> NextAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            return await _requests.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task ServeAsync()
    {
        await foreach (var context in _listener.RequestsAsync())
        {
            using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding);
            var body = await reader.ReadToEndAsync();
            int status;
            lock (_statuses)
            {
                status = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
            }

            var headers = context.Request.Headers;
            _requests.Writer.TryWrite(new Request(
                context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body, context.Request.ContentType,
                headers["Vexaa-Signature"], headers["Vexaa-Delivery"], status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
