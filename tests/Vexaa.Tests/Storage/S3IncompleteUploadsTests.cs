using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Storage;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Storage;

/// <summary>
/// Aborting unfinished multipart uploads, which s3rver cannot list: against a stand-in that speaks just those two S3 calls
/// (ListMultipartUploads in two pages, AbortMultipartUpload) and records what it was asked.
/// </summary>
public sealed class S3IncompleteUploadsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Only_uploads_older_than_the_limit_are_aborted_on_every_page()
    {
        var now = DateTime.UtcNow;
        using var service = new MultipartUploadsStandIn(
            [("jobs/a/input", "old-1", now.AddDays(-3)), ("jobs/b/input", "new-1", now.AddHours(-2))],
            [("jobs/c/input", "old-2", now.AddDays(-1.5)), ("jobs/d/results/7/0.mp3", "new-2", now.AddMinutes(-1))]);
        using var store = new S3FileStore(
            new S3Options { ServiceUrl = service.Url, Bucket = "media", AccessKey = "k", SecretKey = "s", ForcePathStyle = true },
            NullLogger<S3FileStore>.Instance);

        var removed = await store.DeleteIncompleteAsync(TimeSpan.FromDays(1), CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Equal(["DELETE /media/jobs/a/input?uploadId=old-1", "DELETE /media/jobs/c/input?uploadId=old-2"], service.Aborts);
    }

    private sealed class MultipartUploadsStandIn : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly (string Key, string Id, DateTime Initiated)[][] _pages;
        private readonly List<string> _aborts = [];

        public MultipartUploadsStandIn(params (string, string, DateTime)[][] pages)
        {
            _pages = pages;
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public List<string> Aborts
        {
            get
            {
                lock (_aborts)
                {
                    return [.. _aborts];
                }
            }
        }

        private async Task ServeAsync()
        {
            await foreach (var context in _listener.RequestsAsync())
            {
                var request = context.Request;
                if (request.HttpMethod == "DELETE")
                {
                    lock (_aborts)
                    {
                        _aborts.Add($"DELETE {request.Url!.AbsolutePath}{request.Url.Query}");
                    }

                    context.Response.StatusCode = 204;
                }
                else
                {
                    // The second page is asked for with the first page's markers.
                    var page = request.QueryString["key-marker"] is { Length: > 0 } ? 1 : 0;
                    var body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>media</Bucket>");
                    body.Append(CultureInfo.InvariantCulture, $"<IsTruncated>{(page == 0 ? "true" : "false")}</IsTruncated>");
                    if (page == 0)
                    {
                        body.Append(CultureInfo.InvariantCulture, $"<NextKeyMarker>{_pages[0][^1].Key}</NextKeyMarker><NextUploadIdMarker>{_pages[0][^1].Id}</NextUploadIdMarker>");
                    }

                    foreach (var (key, id, initiated) in _pages[page])
                    {
                        body.Append(CultureInfo.InvariantCulture, $"<Upload><Key>{key}</Key><UploadId>{id}</UploadId><Initiated>{initiated:yyyy-MM-ddTHH:mm:ss.fffZ}</Initiated></Upload>");
                    }

                    var bytes = Encoding.UTF8.GetBytes(body.Append("</ListMultipartUploadsResult>").ToString());
                    context.Response.ContentType = "application/xml";
                    await context.Response.OutputStream.WriteAsync(bytes);
                }

                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
