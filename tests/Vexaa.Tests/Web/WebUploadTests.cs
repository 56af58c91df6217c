using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Uploads from the web page in a real Chromium: resuming after a reload or a lost connection, and what names may hold.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebUploadTests(TestMedia media) : BrowserTest
{
    [Fact(Timeout = 240_000)]
    public async Task A_reload_in_the_middle_of_an_upload_continues_from_the_servers_offset()
    {
        using var files = new TempDir();
        var video = files["lecture.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
            "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "5M", "-c:a", "aac", video);
        var length = new FileInfo(video).Length;
        Assert.True(length > 4_000_000, $"the test video is only {length} bytes");

        Page.SignIn("admin", Server.AdminPassword);
        Page.Open("/?chunkSize=262144");
        Page.WaitFor(() => Page.Find("#app-view").Displayed, "the page");
        // A slow connection, so the reload surely lands in the middle.
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { Latency = TimeSpan.FromMilliseconds(150), UploadThroughput = 1_500_000, DownloadThroughput = 50_000_000 };
        Page.Choose(video);
        var card = Page.Find(".upload");
        Page.WaitFor(() => int.Parse(card.FindElement(By.CssSelector("progress")).GetAttribute("value") ?? "0", CultureInfo.InvariantCulture) >= 20, "a fifth of the upload");
        Assert.Matches(@"^\d+% of 7\.\d MB · [\d.]+ [KM]B/s · about \d+ (s|min) left$", card.FindElement(By.CssSelector(".progress-text")).Text);
        Page.Screenshot("06-uploading");
        var uploadUrl = card.GetAttribute("data-upload-url")!;
        await Page.Driver.Navigate().RefreshAsync();
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { DownloadThroughput = 100_000_000, UploadThroughput = 100_000_000 };

        var offset = await StableOffsetAsync(new Uri(Server.BaseAddress, uploadUrl));
        Assert.InRange(offset, 1, length - 1);
        var unfinished = Page.WaitFor(() => Page.FindAll("#resumable-list li").FirstOrDefault(), "the unfinished upload");
        Assert.Contains("lecture.mp4", unfinished.Text);
        Assert.Contains("Choose lecture.mp4 again", unfinished.Text);
        Page.Screenshot("07-unfinished-upload-after-reload");

        // Still throttled, so the card lives long enough to be read; it is removed the moment its upload completes, so its
        // attributes are read in one script rather than through an element reference that may go stale in between.
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { Latency = TimeSpan.FromMilliseconds(50), UploadThroughput = 2_000_000, DownloadThroughput = 50_000_000 };
        Page.Choose(video);
        var resumed = Page.WaitFor(() => Page.Js("""
            const card = [...document.querySelectorAll('.upload')].find(c => c.dataset.firstPatchOffset !== undefined);
            return card ? [card.dataset.firstPatchOffset, card.dataset.posts ?? 'none'] : null;
            """) as IReadOnlyCollection<object>, "the resumed upload");
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { DownloadThroughput = 100_000_000, UploadThroughput = 100_000_000 };
        Assert.Equal([offset.ToString(CultureInfo.InvariantCulture), "none"], resumed.Select(v => v.ToString()));
        Assert.Empty(Page.FindAll("#resumable-list li"));
        Page.JobCardIn("lecture.mp4", "succeeded", 120);
        await AssertNewestJobHoldsAsync(video);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_dropped_connection_pauses_the_upload_which_continues_when_it_is_back()
    {
        using var files = new TempDir();
        var video = files["talk.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M", "-c:a", "aac", video);

        Page.SignIn("admin", Server.AdminPassword);
        Page.Open("/?chunkSize=262144");
        Page.WaitFor(() => Page.Find("#app-view").Displayed, "the page");
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { Latency = TimeSpan.FromMilliseconds(100), UploadThroughput = 1_000_000, DownloadThroughput = 50_000_000 };
        Page.Choose(video);
        var card = Page.Find(".upload");
        Page.WaitFor(() => int.Parse(card.FindElement(By.CssSelector("progress")).GetAttribute("value") ?? "0", CultureInfo.InvariantCulture) >= 15, "some of the upload");

        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { IsOffline = true };
        Page.WaitFor(() => card.GetAttribute("data-state") == "offline", "the page to notice the lost connection");
        Assert.Contains("waiting for the connection", card.FindElement(By.CssSelector(".progress-text")).Text);
        var stoppedAt = int.Parse(card.FindElement(By.CssSelector("progress")).GetAttribute("value")!, CultureInfo.InvariantCulture);
        await Task.Delay(1000);
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { Latency = TimeSpan.FromMilliseconds(100), UploadThroughput = 1_000_000, DownloadThroughput = 50_000_000 };

        // It goes on from where it stopped, in the same upload.
        Page.WaitFor(() => int.Parse(card.FindElement(By.CssSelector("progress")).GetAttribute("value") ?? "0", CultureInfo.InvariantCulture) > stoppedAt + 5, "the upload to go on");
        Assert.Equal("1", card.GetAttribute("data-posts"));
        Assert.Equal("uploading", card.GetAttribute("data-state"));
        Page.Driver.NetworkConditions = new OpenQA.Selenium.Chromium.ChromiumNetworkConditions { DownloadThroughput = 100_000_000, UploadThroughput = 100_000_000 };

        Page.JobCardIn("talk.mp4", "succeeded", 120);
        await AssertNewestJobHoldsAsync(video);
    }

    [Fact(Timeout = 120_000)]
    public async Task Names_people_give_their_files_are_shown_as_text_and_never_run()
    {
        using var files = new TempDir();
        const string name = "<img src=x onerror=window.pwned=1> & <b>bold<b>.mp4";
        File.Copy(media["good-h264-aac.mp4"], files[name]);
        Page.SignIn("admin", Server.AdminPassword);
        Page.Choose(files[name]);

        var card = Page.JobCardIn(name, "succeeded");
        Assert.Equal(name, card.FindElement(By.CssSelector(".job-name")).Text);
        Assert.Empty(card.FindElements(By.CssSelector(".job-name img, .job-name b")));
        Assert.Null(Page.Js("return window.pwned ?? null"));
        await Task.CompletedTask;
    }

    /// <summary>The newest job's input is, byte for byte, the file the page uploaded (by SHA-256).</summary>
    private async Task AssertNewestJobHoldsAsync(string file)
    {
        using var api = Server.Client(Server.AdminKey);
        var job = (await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal(await Bytes.Sha256Async(file), job.GetProperty("input").GetProperty("sha256").GetString());
    }

    /// <summary>The upload's offset once the request the reload cut off has been fully written by the server.</summary>
    private async Task<long> StableOffsetAsync(Uri upload)
    {
        using var api = Server.Client(Server.AdminKey);
        long? last = null;
        for (var i = 0; i < 100; i++)
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, upload);
            head.Headers.Add("Tus-Resumable", "1.0.0");
            using var response = await api.SendAsync(head);
            var offset = long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
            if (offset == last)
            {
                return offset;
            }

            last = offset;
            await Task.Delay(500);
        }

        throw new TimeoutException("The upload's offset kept changing after the reload.");
    }
}
