using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vexaa.Tests.Support;

/// <summary>What the proxy does to a request instead of passing it on faithfully.</summary>
public enum S3Fault
{
    /// <summary>500 InternalError, as S3 answers now and then.</summary>
    InternalError,

    /// <summary>503 SlowDown, S3's "too many requests".</summary>
    SlowDown,

    /// <summary>Passed on after a pause (<see cref="S3FaultProxy.Delay"/>).</summary>
    Slow,

    /// <summary>Passed on, but the response body stops half-way and the connection is dropped.</summary>
    CutBody,

    /// <summary>Passed on, but the connection drops right after the response's headers, before any of its body.</summary>
    NoBody,
}

/// <summary>
/// A reverse proxy in front of s3rver (Kestrel, forwarding every byte and header as sent, so signatures still match) that
/// can be told to answer the next N matching requests with a fault. Point the server under test at <see cref="ServiceUrl"/>.
/// </summary>
public sealed class S3FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;
    private readonly List<Rule> _rules = [];
    private int _injected;

    private sealed class Rule(S3Fault fault, int count, Func<HttpRequest, bool> when)
    {
        public S3Fault Fault { get; } = fault;
        public int Left { get; set; } = count;
        public Func<HttpRequest, bool> When { get; } = when;
    }

    private S3FaultProxy(string target)
    {
        _target = new Uri(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        _app = builder.Build();
        _app.Run(ForwardAsync);
    }

    public string ServiceUrl { get; private set; } = "";

    /// <summary>How long a <see cref="S3Fault.Slow"/> request waits before it is passed on.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Faults injected so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Every request seen, one line each ("GET /bucket/key -> SlowDown"), for assertion messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log);
            }
        }
    }

    private readonly List<string> _log = [];

    public static async Task<S3FaultProxy> StartAsync(string target)
    {
        var proxy = new S3FaultProxy(target);
        await proxy._app.StartAsync();
        proxy.ServiceUrl = proxy._app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return proxy;
    }

    /// <summary>The next <paramref name="count"/> requests that match <paramref name="when"/> (all, if null) get <paramref name="fault"/>.</summary>
    public void Inject(S3Fault fault, int count, Func<HttpRequest, bool>? when = null)
    {
        lock (_rules)
        {
            _rules.Add(new Rule(fault, count, when ?? (_ => true)));
        }
    }

    /// <summary>Every later matching request gets <paramref name="fault"/>, until <see cref="Heal"/>.</summary>
    public void Break(S3Fault fault, Func<HttpRequest, bool>? when = null) => Inject(fault, int.MaxValue, when);

    public void Heal()
    {
        lock (_rules)
        {
            _rules.Clear();
        }
    }

    /// <summary>Requests for object keys ending so (the path without the query), e.g. "/input".</summary>
    public static Func<HttpRequest, bool> KeyEndsWith(string suffix, string? method = null) =>
        r => r.Path.Value?.EndsWith(suffix, StringComparison.Ordinal) == true && (method is null || r.Method == method);

    private S3Fault? Take(HttpRequest request)
    {
        S3Fault? fault = null;
        lock (_rules)
        {
            if (_rules.FirstOrDefault(r => r.Left > 0 && r.When(request)) is { } rule)
            {
                rule.Left--;
                Interlocked.Increment(ref _injected);
                fault = rule.Fault;
            }
        }

        lock (_log)
        {
            _log.Add($"{request.Method} {request.Path}{request.QueryString} -> {fault?.ToString() ?? "passed on"}");
        }

        return fault;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var fault = Take(context.Request);
        if (fault is S3Fault.InternalError or S3Fault.SlowDown)
        {
            var (status, code) = fault == S3Fault.InternalError ? (500, "InternalError") : (503, "SlowDown");
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>Injected by the test.</Message></Error>");
            return;
        }

        if (fault == S3Fault.Slow)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_target, raw));
        request.Headers.Host = context.Request.Host.Value;
        var hasBody = context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        if (fault is S3Fault.CutBody or S3Fault.NoBody && response.Content.Headers.ContentLength is > 1 and var length)
        {
            // Half the body (or none), sent for real, then the connection drops: the client sees fewer bytes than Content-Length.
            var half = new byte[fault == S3Fault.NoBody ? 0 : length / 2];
            await body.ReadExactlyAsync(half, context.RequestAborted);
            await context.Response.Body.WriteAsync(half, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
