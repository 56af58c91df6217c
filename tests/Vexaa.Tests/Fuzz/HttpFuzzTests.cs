using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Fuzz;

/// <summary>
/// Random tus headers and multipart bodies sent to a real server: each must get an answer that is not a 500 (the
/// server's fault); a 4xx says the client is wrong, which it is. The cases are FsCheck samples over a header-safe
/// alphabet and mutations of valid requests, so most are near-misses of what the server parses.
/// </summary>
public sealed class HttpFuzzTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly Gen<string> HeaderText = Gen.OneOf(
        Gen.Elements(" ,=:;-+0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/+=\t\"'".ToCharArray()).ArrayOf().Select(c => new string(c)),
        Gen.Elements("0", "-1", "18446744073709551616", "9223372036854775807", "1e3", " 5", "0x10", "", "00000000000000000001"),
        Gen.Elements("filename", "filename ", "filename Y2xpcC5tcDQ=", "filename ====", "filename Y2xp cC5t", ",,,", "a b,c d,a b", "filename Y2xpcC5tcDQ=,filename eA==", "k " + new string('A', 8000)));

    private static List<T> Sample<T>(Gen<T> gen, int count) => [.. gen.Sample(count, 30)];

    private static async Task<int> CountServerErrorsAsync(IEnumerable<Func<Task<HttpResponseMessage>>> requests, List<string> failures)
    {
        var errors = 0;
        foreach (var send in requests)
        {
            HttpResponseMessage response;
            try
            {
                response = await send();
            }
            catch (HttpRequestException)
            {
                // Kestrel answering early and closing the connection on a body it will not read: not a 500, left to look into.
                continue;
            }

            using var _ = response;
            if ((int)response.StatusCode >= 500)
            {
                errors++;
                failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return errors;
    }

    [Fact(Timeout = 180_000)]
    public async Task Random_tus_creation_headers_never_get_a_500()
    {
        using var client = shared.Server.Client(shared.Server.AdminKey);
        var cases = Sample(Gen.Three(HeaderText), 300);
        var failures = new List<string>();

        var errors = await CountServerErrorsAsync(cases.Select(c => (Func<Task<HttpResponseMessage>>)(() =>
        {
            var request = Tus.Request(HttpMethod.Post, "/api/v1/uploads/", c.Item3.Length % 5 == 0 ? c.Item3 : Tus.Version);
            request.Headers.TryAddWithoutValidation("Upload-Length", c.Item1);
            request.Headers.TryAddWithoutValidation("Upload-Metadata", c.Item2);
            return client.SendAsync(request);
        })), failures);

        Figures.Record("fuzz", "tus-creation-headers", cases.Count, errors);
        Assert.True(errors == 0, string.Join('\n', failures.Take(5)));
    }

    // Found on 2026-12-02: 1 of 200 random PATCH requests got a 500; not yet fixed (see the helper's report).
    [Fact(Timeout = 180_000)]
    public async Task Random_tus_offsets_checksums_and_bodies_never_get_a_500()
    {
        using var client = shared.Server.Client(shared.Server.AdminKey);
        var url = await Tus.CreateAsync(client, 4096);
        var cases = Sample(Gen.Three(HeaderText).Zip(Gen.Choose(0, 6000)), 200);
        var failures = new List<string>();

        var errors = await CountServerErrorsAsync(cases.Select(c => (Func<Task<HttpResponseMessage>>)(() =>
        {
            var ((offset, checksum, contentType), length) = c;
            var request = Tus.Request(HttpMethod.Patch, url);
            request.Headers.TryAddWithoutValidation("Upload-Offset", length % 3 == 0 ? "0" : offset);
            if (length % 2 == 0) request.Headers.TryAddWithoutValidation("Upload-Checksum", checksum);
            request.Content = new ByteArrayContent(new byte[length]);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", length % 4 == 0 ? contentType : "application/offset+octet-stream");
            return client.SendAsync(request);
        })), failures);

        Figures.Record("fuzz", "tus-patch-headers", cases.Count, errors);
        Assert.True(errors == 0, string.Join('\n', failures.Take(5)));
    }

    // Fails today (117 of 250 cases got a 500, 2026-12-02): that is finding 4 of issue 9, fixed on another branch.
    [Fact(Timeout = 240_000)]
    public async Task Random_multipart_bodies_never_get_a_500()
    {
        using var client = shared.Server.Client(shared.Server.AdminKey);
        const string boundary = "vexaa-fuzz";
        var valid = Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nmp3\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.mp4\"\r\nContent-Type: video/mp4\r\n\r\n0123456789\r\n--{boundary}--\r\n");
        // Each case cuts the valid body somewhere, flips some bytes and maybe declares another boundary.
        var mutations = Gen.Three(Gen.Choose(0, valid.Length)).Zip(Gen.Choose(0, valid.Length - 1).ArrayOf())
            .Zip(Gen.Elements(boundary, "other", "", "\"vexaa-fuzz\"", boundary + boundary));
        var cases = Sample(mutations, 250);
        var failures = new List<string>();

        var errors = await CountServerErrorsAsync(cases.Select(c => (Func<Task<HttpResponseMessage>>)(() =>
        {
            var (((cut, _, _), flips), declared) = c;
            var body = valid[..cut];
            foreach (var i in flips.Where(i => i < body.Length).Take(8)) body[i] ^= 0x5a;
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=" + declared);
            return client.SendAsync(request);
        })), failures);

        Figures.Record("fuzz", "multipart-bodies", cases.Count, errors);
        Assert.True(errors == 0, $"{errors} of {cases.Count} got a 5xx:\n" + string.Join('\n', failures.Take(5)));
    }
}
