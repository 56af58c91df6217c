using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>The review step in Chromium: files read locally, each with its own settings, every mistake shown before anything is sent, audio only.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebReviewTests(TestMedia media) : BrowserTest
{
    private async Task<int> UploadCountAsync()
    {
        using var client = Server.Client(Server.AdminKey);
        return (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength();
    }

    private IWebElement Row(string name) =>
        Page.WaitFor(() => Page.FindAll("#review-list .review").FirstOrDefault(r => r.FindElement(By.CssSelector(".job-name")).Text == name && r.GetAttribute("data-state") != "reading"),
            $"the review row of {name}");

    private void Set(IWebElement row, string field, string value)
    {
        var control = row.FindElement(By.CssSelector($"[data-field='{field}']"));
        if (control.TagName == "select")
        {
            Page.Js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", control, value);
        }
        else
        {
            control.Clear();
            control.SendKeys(value);
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_files_with_two_presets_are_read_locally_checked_and_each_job_gets_its_own_settings()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["good-two-audio-tracks.mp4"], media["good-h264-aac.mp4"]);
        var two = Row("good-two-audio-tracks.mp4");
        var one = Row("good-h264-aac.mp4");
        Assert.Contains("2 audio tracks", two.Text);
        Assert.Contains("video 160×120", two.Text);
        Assert.Contains("0:05", one.Text);
        var trackOptions = two.FindElements(By.CssSelector("[data-field='track'] option")).Select(o => o.Text).ToList();
        Assert.Contains(trackOptions, t => t.Contains("German") && t.Contains("AAC"));

        // Mistakes: all shown at once, on their fields, and nothing is sent.
        Set(two, "preset", "custom");
        two = Row("good-two-audio-tracks.mp4");
        Set(two, "bitrate", "999k");
        Set(two, "start", "0:04");
        Set(two, "end", "0:02");
        Set(one, "end", "0:09");
        Page.ClickConvert();
        Assert.Equal("invalid", two.GetAttribute("data-state"));
        var errors = two.FindElements(By.CssSelector(".review-errors li")).Select(e => e.Text).ToList();
        Assert.Contains(errors, e => e.Contains("999k is not an allowed MP3 bitrate"));
        Assert.Contains(errors, e => e.Contains("must be after start"));
        Assert.Contains("after the end of the file", one.FindElement(By.CssSelector(".review-errors")).Text);
        Assert.Equal("true", two.FindElement(By.CssSelector("[data-field='bitrate']")).GetAttribute("aria-invalid"));
        Assert.Equal("bitrate", Page.Driver.SwitchTo().ActiveElement().GetAttribute("data-field"));
        Page.Screenshot("20-review-errors");
        Assert.Equal(0, await UploadCountAsync());
        Assert.Empty(Page.FindAll("#upload-list li"));

        // Fixed: two presets, two tracks, one Convert.
        Set(two, "preset", "podcast");
        two = Row("good-two-audio-tracks.mp4");
        Set(two, "track", "0");
        Set(two, "start", "1");
        Set(two, "end", "3");
        Set(one, "end", "");
        Set(one, "preset", "flac");
        one = Row("good-h264-aac.mp4");
        Assert.Contains("MP3 96 kbps mono", two.FindElement(By.CssSelector(".review-summary")).Text);
        Assert.Contains("English track", two.FindElement(By.CssSelector(".review-summary")).Text);
        Page.Screenshot("21-review-ready");
        Page.ConvertReviewed();
        // Changing the page's defaults after Convert changes nothing already sent.
        Page.Find(".preset[data-preset='original']").Click();

        var podcastCard = Page.JobCardIn("good-two-audio-tracks.mp4", "succeeded", 120);
        Page.JobCardIn("good-h264-aac.mp4", "succeeded", 120);
        // The card tells the loudness report: before → after, the gain, range, peak, and whether the target was reached.
        Assert.Matches(@"loudness −?\d+\.\d LUFS → −?\d+\.\d LUFS \([+−]\d+\.\d dB\), range [\d.?]+ LU → [\d.?]+ LU, peak −?\d+\.\d dBTP → −?\d+\.\d dBTP, podcast target (met|\(−16\.0 LUFS\) missed)",
            podcastCard.FindElement(By.CssSelector(".result-detail")).Text);
        using var client = Server.Client(Server.AdminKey);
        var jobs = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").EnumerateArray().ToList();
        var podcast = jobs.Single(j => j.GetProperty("input").GetProperty("name").GetString() == "good-two-audio-tracks.mp4");
        var flac = jobs.Single(j => j.GetProperty("input").GetProperty("name").GetString() == "good-h264-aac.mp4");
        Assert.Equal("mp3", podcast.GetProperty("options").GetProperty("format").GetString());
        Assert.Equal("podcast", podcast.GetProperty("options").GetProperty("normalize").GetString());
        Assert.Equal(0, podcast.GetProperty("results")[0].GetProperty("track").GetInt32());
        Assert.InRange(podcast.GetProperty("results")[0].GetProperty("durationSeconds").GetDouble(), 1.9, 2.1);
        Assert.Equal("flac", flac.GetProperty("results")[0].GetProperty("format").GetString());

        // Only the sound was sent (both tracks, so the server's track numbers stay the video's).
        Assert.True(podcast.GetProperty("input").GetProperty("size").GetInt64() < new FileInfo(media["good-two-audio-tracks.mp4"]).Length);
        Assert.Equal(2, podcast.GetProperty("input").GetProperty("probe").GetProperty("audioTracks").GetArrayLength());
        Assert.Equal(0, podcast.GetProperty("input").GetProperty("probe").GetProperty("videoTracks").GetInt32());
        Page.Screenshot("22-review-converted");
        Assert.Empty(Page.ConsoleErrors());
    }
}
