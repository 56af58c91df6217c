using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Sending only the audio: the page copies the sound out of the video (no re-encoding) and the result is the same as from the whole video.</summary>
public sealed class WebAudioOnlyTests : BrowserTest
{
    // Finished jobs keep their input, so they can be converted again.
    protected override Dictionary<string, string>? ServerSettings => new() { ["Vexaa__Retention__InputHours"] = "24" };

    private static async Task<string> DecodedPcmHashAsync(HttpClient client, JsonElement job, TempDir dir, string name)
    {
        var file = dir[name + ".flac"];
        await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(job.GetProperty("links").GetProperty("result").GetString()));
        var pcm = dir[name + ".pcm"];
        await Proc.FfmpegAsync("-i", file, "-f", "s16le", "-acodec", "pcm_s16le", pcm);
        return await Bytes.Sha256Async(pcm);
    }

    // A Matroska copy of AAC decoded to other samples (the MP4 edit list that hides the encoder's priming was lost); AAC is
    // now copied into MP4, and this test holds the page to the same sound as the whole video.
    [Fact(Timeout = 300_000)]
    public async Task The_page_sends_only_the_audio_and_the_result_decodes_to_the_same_samples_as_the_whole_video()
    {
        using var dir = new TempDir();
        var video = dir["talk.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "5M", "-c:a", "aac", "-b:a", "128k", video);
        var size = new FileInfo(video).Length;

        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(video);
        var row = Page.WaitFor(() => Page.FindAll("#review-list .review").FirstOrDefault(r => r.GetAttribute("data-state") == "ready"), "the file to be read");
        Page.Js("const s = arguments[0].querySelector('[data-field=preset]'); s.value = 'flac'; s.dispatchEvent(new Event('change', { bubbles: true }));", row);
        Page.ConvertReviewed();
        Page.JobCardIn("talk.mp4", "succeeded", 120);
        Page.Screenshot("23-audio-only-result");

        using var client = Server.Client(Server.AdminKey);
        var fromPage = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        var sent = fromPage.GetProperty("input").GetProperty("size").GetInt64();
        Assert.True(sent < size * 0.05, $"the page sent {sent} of {size} bytes");
        Assert.Equal(0, fromPage.GetProperty("input").GetProperty("probe").GetProperty("videoTracks").GetInt32());

        var whole = await Api.WaitAsync(client, await Api.SubmitOkAsync(client, video, new() { ["format"] = "flac" }));
        Assert.Equal(size, whole.GetProperty("input").GetProperty("size").GetInt64());
        Assert.Equal(await DecodedPcmHashAsync(client, whole, dir, "whole"), await DecodedPcmHashAsync(client, fromPage, dir, "audio-only"));
        Assert.Empty(Page.ConsoleErrors());
    }

    [Fact(Timeout = 240_000)]
    public async Task A_failed_track_not_found_offers_the_tracks_inline_and_converts_again_without_uploading()
    {
        using var dir = new TempDir();
        var video = dir["two tracks.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000", "-t", "4", "-map", "0:v", "-map", "1:a", "-map", "2:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=fra", video);
        using var client = Server.Client(Server.AdminKey);
        var failed = await Api.WaitAsync(client, await Api.SubmitOkAsync(client, video, new() { ["track"] = "5" }));
        Assert.Equal("failed", failed.Status());

        Page.SignIn("admin", Server.AdminPassword);
        var card = Page.JobCardIn("two tracks.mp4", "failed");
        var track = Page.WaitFor(() => card.FindElements(By.CssSelector(".again-panel [data-field='track']")).FirstOrDefault(), "the inline track chooser");
        Assert.Contains(track.FindElements(By.TagName("option")), o => o.Text.Contains("French"));
        Page.Js("arguments[0].value = '1'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", track);
        var end = card.FindElement(By.CssSelector(".again-panel [data-field='end']"));
        end.SendKeys("9");
        Assert.Contains("after the end of the file", card.FindElement(By.CssSelector(".again-panel .review-errors")).Text);
        end.Clear();
        end.SendKeys("2");
        Page.Screenshot("24-convert-again-track-chooser");
        card.FindElement(By.CssSelector(".again-panel .button.primary")).Click();

        var again = Page.WaitFor(() => Page.FindAll("#job-list > li").FirstOrDefault(li => li.GetAttribute("data-status") == "succeeded"), "the job converted again", 90);
        Assert.Equal("job", Page.Driver.SwitchTo().ActiveElement().GetAttribute("class")?.Split(' ')[1]);
        Assert.Contains("track 2 (French)", again.Text);
        Assert.Contains("trimmed", again.Text);
        var jobs = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs");
        Assert.Equal(2, jobs.GetArrayLength());
        var result = jobs.EnumerateArray().First(j => j.Status() == "succeeded").GetProperty("results")[0];
        Assert.Equal(1, result.GetProperty("track").GetInt32());
        Assert.InRange(result.GetProperty("durationSeconds").GetDouble(), 1.9, 2.1);
        Page.Screenshot("25-converted-again");
        Assert.Empty(Page.ConsoleErrors());
    }
}
