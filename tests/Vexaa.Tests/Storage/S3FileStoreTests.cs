using Microsoft.Extensions.Logging.Abstractions;
using Vexaa.Storage;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Storage;

/// <summary>The S3 store against a real S3-compatible server (s3rver). Every round trip is checked by SHA-256.</summary>
[Collection(S3Collection.Name)]
public sealed class S3FileStoreTests(S3Server s3)
{
    private const int Part = (int)S3Options.MinPartSize;
    private static readonly CancellationToken None = CancellationToken.None;

    private S3FileStore Store(string? bucket = null, string downloads = "proxy", ListLogger<S3FileStore>? logger = null) =>
        new(s3.Options(bucket ?? s3.Bucket, downloads), (Microsoft.Extensions.Logging.ILogger<S3FileStore>?)logger ?? NullLogger<S3FileStore>.Instance);

    private static string NewKey() => $"jobs/{Guid.NewGuid():N}/input";

    private static async Task<string> ReadAllSha256Async(IFileStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, None);
        Assert.NotNull(stream);
        return await Bytes.Sha256Async(stream);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_small_object_round_trips_byte_for_byte()
    {
        using var store = Store();
        var data = Bytes.Random(100_000);
        var key = NewKey();

        var put = await store.PutAsync(key, new TrickleStream(data), None);

        Assert.Equal(data.Length, put.Length);
        var stat = await store.StatAsync(key, None);
        Assert.Equal(data.Length, stat!.Length);
        Assert.Equal(put.ETag, stat.ETag);
        Assert.Equal(Bytes.Sha256(data), await ReadAllSha256Async(store, key));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_move_copies_inside_the_bucket_and_removes_the_source()
    {
        using var store = Store();
        var data = Bytes.Random(300_000, seed: 5);
        var from = $"uploads/{Guid.NewGuid():N}/whole-x";
        var to = NewKey();
        await store.PutAsync(from, new TrickleStream(data), None);

        var moved = await store.MoveAsync(from, to, None);

        Assert.Equal(data.Length, moved.Length);
        Assert.Null(await store.StatAsync(from, None));
        Assert.Equal(Bytes.Sha256(data), await ReadAllSha256Async(store, to));
        // Copied inside the bucket by the server, not streamed through this process.
        Assert.Contains($"Copied object \"{from}\"", s3.Log);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_large_upload_of_unknown_length_goes_up_in_parts_and_round_trips()
    {
        using var store = Store();
        var data = Bytes.Random(3 * Part + Part / 2, seed: 2);
        var key = NewKey();

        var put = await store.PutAsync(key, new TrickleStream(data), None);

        Assert.Equal(data.Length, put.Length);
        Assert.Equal(4, s3.Log.Split('\n').Count(l => l.Contains($"/{key}?partNumber=") && l.Contains(" 200 ")));
        Assert.Equal(Bytes.Sha256(data), await ReadAllSha256Async(store, key));
        using var scratch = new TempDir();
        var copy = await store.GetLocalCopyAsync(key, scratch.Path, None);
        Assert.StartsWith(scratch.Path, copy);
        Assert.Equal(Bytes.Sha256(data), await Bytes.Sha256Async(copy));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_upload_of_exactly_one_part_is_stored_whole()
    {
        using var store = Store();
        var data = Bytes.Random(Part, seed: 3);
        var key = NewKey();

        await store.PutAsync(key, new TrickleStream(data), None);

        Assert.Equal(Bytes.Sha256(data), await ReadAllSha256Async(store, key));
    }

    [Theory(Timeout = 120_000)]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(2 * Part + 12345)]
    public async Task A_local_file_is_uploaded_and_taken_away(int length)
    {
        using var store = Store();
        using var dir = new TempDir();
        var data = Bytes.Random(length, seed: 4);
        await File.WriteAllBytesAsync(dir["result.mp3"], data);
        var key = NewKey();

        var put = await store.PutFileAsync(key, dir["result.mp3"], None);

        Assert.Equal(length, put.Length);
        Assert.False(File.Exists(dir["result.mp3"]));
        Assert.Equal(length, (await store.StatAsync(key, None))!.Length);
        Assert.Equal(Bytes.Sha256(data), await ReadAllSha256Async(store, key));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_read_stream_seeks_anywhere_with_ranged_requests()
    {
        using var store = Store();
        var data = Bytes.Random(2 * Part + 999, seed: 5);
        var key = NewKey();
        await store.PutAsync(key, new MemoryStream(data), None);
        await using var stream = (await store.OpenReadAsync(key, None))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);

        async Task<byte[]> ReadAtAsync(long position, int count)
        {
            stream.Seek(position, SeekOrigin.Begin);
            var buffer = new byte[count];
            var read = 0;
            while (read < count && await stream.ReadAsync(buffer.AsMemory(read)) is var n and > 0)
            {
                read += n;
            }

            return buffer[..read];
        }

        Assert.Equal(data[(Part + 7)..(Part + 7 + 70_000)], await ReadAtAsync(Part + 7, 70_000));
        Assert.Equal(data[..10], await ReadAtAsync(0, 10));
        Assert.Equal(data[^5..], await ReadAtAsync(data.Length - 5, 100));
        Assert.Empty(await ReadAtAsync(data.Length, 100));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_object_is_null_and_cannot_be_copied_locally()
    {
        using var store = Store();
        using var scratch = new TempDir();
        var key = NewKey();

        Assert.Null(await store.StatAsync(key, None));
        Assert.Null(await store.OpenReadAsync(key, None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.GetLocalCopyAsync(key, scratch.Path, None));
        Assert.Empty(scratch.Files());
    }

    [Fact(Timeout = 120_000)]
    public async Task Delete_prefix_removes_every_page_of_keys_under_it_and_nothing_else()
    {
        var bucket = await s3.CreateBucketAsync();
        using var store = new S3FileStore(s3.Options(bucket), NullLogger<S3FileStore>.Instance) { ListPageSize = 4 };
        var doomed = Enumerable.Range(0, 11).Select(i => $"jobs/a/results/{i}/0.mp3").Append("jobs/a/input").ToList();
        string[] kept = ["jobs/ab/input", "jobs/b/input", "jobs/c/input"];
        foreach (var key in doomed.Concat(kept))
        {
            await store.PutAsync(key, new MemoryStream([1, 2, 3]), None);
        }

        await store.DeletePrefixAsync("jobs/a/", None);
        await store.DeleteAsync("jobs/c/input", None);
        await store.DeleteAsync("jobs/never-there", None);

        Assert.Equal(["jobs/ab/input", "jobs/b/input"], (await s3.KeysAsync(bucket)).Order());
        await Assert.ThrowsAsync<ArgumentException>(() => store.DeletePrefixAsync("", None));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_failed_or_canceled_upload_leaves_no_object_and_keeps_the_previous_one()
    {
        var bucket = await s3.CreateBucketAsync();
        var logger = new ListLogger<S3FileStore>();
        using var store = Store(bucket, logger: logger);
        var data = Bytes.Random(3 * Part, seed: 6);
        var replaced = NewKey();
        await store.PutAsync(replaced, new MemoryStream([1, 2, 3]), None);
        var dropped = new IOException("The client went away.");
        var fresh = NewKey();
        using var cancel = new CancellationTokenSource();

        var thrown = await Assert.ThrowsAsync<IOException>(() => store.PutAsync(replaced, new TrickleStream(data, failAfter: 2 * Part + 100, dropped), None));
        var upload = store.PutAsync(fresh, new TrickleStream(data), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);

        Assert.Same(dropped, thrown);
        Assert.Equal(3, (await store.StatAsync(replaced, None))!.Length);
        Assert.Null(await store.StatAsync(fresh, None));
        Assert.Equal([replaced], await s3.KeysAsync(bucket));
        // s3rver cannot abort multipart uploads (405): tolerated, and said.
        Assert.Contains(logger.Lines, l => l.Contains("cannot abort multipart upload"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Clean_up_of_unfinished_uploads_is_a_no_op_where_the_service_cannot_list_them()
    {
        var logger = new ListLogger<S3FileStore>();
        using var store = Store(logger: logger);

        Assert.Equal(0, await store.DeleteIncompleteAsync(TimeSpan.FromDays(1), None));
        Assert.Contains(logger.Lines, l => l.Contains("cannot list unfinished multipart uploads (501)"));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_store_is_healthy_only_when_its_bucket_is_there()
    {
        using var store = Store();
        using var lost = Store("vexaa-no-such-bucket");

        Assert.True(await store.IsHealthyAsync(None));
        Assert.False(await lost.IsHealthyAsync(None));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_presigned_download_url_serves_the_bytes_under_the_result_name()
    {
        using var redirecting = Store(downloads: "redirect");
        using var proxying = Store();
        var data = Bytes.Random(50_000, seed: 7);
        var key = NewKey();
        await redirecting.PutAsync(key, new MemoryStream(data), None);

        var url = await redirecting.GetDownloadUrlAsync(key, "Straße \"1\".mp3", "audio/mpeg", None);

        Assert.Null(await proxying.GetDownloadUrlAsync(key, "x.mp3", "audio/mpeg", None));
        Assert.NotNull(url);
        Assert.StartsWith(s3.ServiceUrl + "/", url.OriginalString);
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(Bytes.Sha256(data), Bytes.Sha256(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal("Straße \"1\".mp3", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType!.MediaType);
    }
}
