using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Audio assembly from the page: a second format, a split by chapters and an archival package, checked before sending.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebAssemblyTests(TestMedia media) : BrowserTest
{
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
        else if (control.GetAttribute("type") == "checkbox")
        {
            Page.Js("arguments[0].checked = arguments[1] === 'true'; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", control, value);
        }
        else
        {
            control.Clear();
            control.SendKeys(value);
        }
    }

    [Fact(Timeout = 240_000)]
    public async Task A_flac_master_and_an_mp3_copy_split_by_chapters_in_a_bag_are_chosen_checked_and_made()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["chapters.mkv"]);
        var row = Row("chapters.mkv");
        Set(row, "preset", "flac");
        row = Row("chapters.mkv");
        row.FindElement(By.CssSelector(".review-assembly > summary")).Click();

        // A bad pause length and a second format equal to the first are marked before anything is sent.
        Set(row, "alsoFormat", "mp3");
        Set(row, "split", "silence");
        row = Row("chapters.mkv");
        Set(row, "splitPause", "soon");
        var errors = Page.WaitFor(() => row.FindElements(By.CssSelector(".review-errors li")).Select(e => e.Text).ToList() is { Count: > 0 } e ? e : null, "the errors");
        Assert.Contains(errors, e => e.Contains("not a pause length", StringComparison.Ordinal));
        Assert.Equal("true", row.FindElement(By.CssSelector("[data-field='splitPause']")).GetAttribute("aria-invalid"));

        Set(row, "split", "chapters");
        row = Row("chapters.mkv");
        Set(row, "package", "true");
        Assert.Empty(row.FindElements(By.CssSelector(".review-errors li")));
        var summary = row.FindElement(By.CssSelector(".review-summary")).Text;
        Assert.Contains("and MP3", summary, StringComparison.Ordinal);
        Assert.Contains("a file per chapter", summary, StringComparison.Ordinal);
        Assert.Contains("in a BagIt package", summary, StringComparison.Ordinal);
        Page.Screenshot("30-assembly-review");
        Page.ConvertReviewed();

        // The chapters are in the video, so the card says the whole file goes, and why.
        var how = Page.WaitFor(() => Page.FindAll("#upload-list .upload-how").FirstOrDefault()?.Text, "how the file is sent");
        Assert.Contains("splitting by chapters needs them", how, StringComparison.Ordinal);
        var card = Page.JobCardIn("chapters.mkv", "succeeded", 180);
        Page.Screenshot("31-assembly-result");

        using var client = Server.Client(Server.AdminKey);
        var job = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        var options = job.GetProperty("options");
        Assert.Equal(["flac", "mp3"], options.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("chapters", options.GetProperty("split").GetString());
        Assert.Equal("bagit", options.GetProperty("package").GetString());
        var names = job.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("fileName").GetString()).ToList();
        Assert.Equal(["01 - Intro.flac", "01 - Intro.mp3", "02 - Main part.flac", "02 - Main part.mp3", "chapters-bag.zip"], names.Order(StringComparer.Ordinal));
        Assert.Contains("chapters-bag.zip", card.Text, StringComparison.Ordinal);
        Assert.Contains("FLAC + MP3", card.Text, StringComparison.Ordinal);

        // Four audio files get a player each; the bag is a download only. The upload card went quietly, without an error.
        Assert.Equal(4, card.FindElements(By.CssSelector(".result audio")).Count);
        Assert.Empty(Page.FindAll("#upload-list .failure"));
    }

    [Theory(Timeout = 240_000)]
    [InlineData("auto", "")]
    [InlineData("time", "0:02")]
    public async Task A_cover_frame_is_taken_in_the_browser_so_only_the_sound_is_sent(string cover, string time)
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["good-h264-aac.mp4"]);
        var row = Row("good-h264-aac.mp4");
        row.FindElement(By.CssSelector(".review-assembly > summary")).Click();
        Set(row, "cover", cover);
        if (time.Length > 0)
        {
            row = Row("good-h264-aac.mp4");
            Set(row, "coverTime", time);
        }

        Assert.Contains("cover from", Row("good-h264-aac.mp4").FindElement(By.CssSelector(".review-summary")).Text, StringComparison.Ordinal);
        Page.ConvertReviewed();
        // The upload card goes as soon as the job exists, so what was sent is checked on the job: the sound and a picture.
        Page.JobCardIn("good-h264-aac.mp4", "succeeded", 180);

        using var client = Server.Client(Server.AdminKey);
        var job = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal("image", job.GetProperty("options").GetProperty("cover").GetString());
        Assert.True(job.GetProperty("input").GetProperty("size").GetInt64() < new FileInfo(media["good-h264-aac.mp4"]).Length / 2, job.ToString());
        var result = job.GetProperty("results")[0];
        var file = Path.Combine(Page.Downloads.Path, "cover.mp3");
        await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(result.GetProperty("url").GetString()));
        // The picture is there, square (the video is 160×120, so 120×120), and decodes.
        var picture = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,width,height:stream_disposition=attached_pic", "-of", "csv=p=0", file]);
        Assert.Equal("mjpeg,120,120,1", picture.Stdout.Trim());
    }

    [Fact(Timeout = 240_000)]
    public async Task Silence_trimmed_pauses_shortened_and_a_split_at_pauses_are_sent_as_chosen_and_told_on_the_card()
    {
        // A video whose sound has pauses: tone at 1–3, 6–8 and 9–11 s of 12.5 s.
        using var folder = new TempDir();
        var video = folder["pauses.mp4"];
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=12.5", "-f", "lavfi",
            "-i", "aevalsrc='if(between(t\\,1\\,3)+between(t\\,6\\,8)+between(t\\,9\\,11)\\,0.5*sin(2*PI*440*t)\\,0)':s=48000:d=12.5",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", video);
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(video);
        var row = Row("pauses.mp4");
        row.FindElement(By.CssSelector(".review-assembly > summary")).Click();
        Set(row, "trimSilence", "true");
        Set(row, "maxPause", "1");
        Set(row, "split", "silence");
        row = Row("pauses.mp4");
        Set(row, "splitPause", "0.8");
        var summary = Row("pauses.mp4").FindElement(By.CssSelector(".review-summary")).Text;
        Assert.Contains("silence trimmed", summary, StringComparison.Ordinal);
        Assert.Contains("pauses shortened to 1 s", summary, StringComparison.Ordinal);
        Page.ConvertReviewed();

        var card = Page.JobCardIn("pauses.mp4", "succeeded", 180);
        Page.Screenshot("34-silence-result");
        Assert.Contains("4 pauses found (silence trimmed, pauses over 1 s shortened, split at pauses)", card.Text, StringComparison.Ordinal);
        // The pauses are drawn where they are on the input's 12.5 s: the 3–6 s pause starts at 24 % and is 24 % long.
        var map = card.FindElement(By.CssSelector(".pause-map"));
        Assert.Matches(@"^Pauses at 0\.0–1\.\d s, [23]\.\d–[56]\.\d s, .* on the input's 0:1\d", map.GetAttribute("aria-label"));
        var marks = map.FindElements(By.CssSelector(".pause-mark"));
        Assert.Equal(4, marks.Count);
        var width = map.Size.Width;
        Assert.Equal(0.24 * width, marks[1].Location.X - map.Location.X, 0.03 * width);
        Assert.Equal(0.24 * width, marks[1].Size.Width, 0.03 * width);
        using var client = Server.Client(Server.AdminKey);
        var job = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal("silence:0.8", job.GetProperty("options").GetProperty("split").GetString());
        // Trimmed to 1–11 s, the 3 s pause made 1 s: 8 s, in three parts cut in the middles of the two pauses left.
        var results = job.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(3, results.Count);
        Assert.Equal(8, results.Sum(r => r.GetProperty("durationSeconds").GetDouble()), 0.15);
    }

    [Fact(Timeout = 240_000)]
    public async Task A_picture_of_ones_own_is_squared_in_the_browser_and_becomes_the_cover()
    {
        using var folder = new TempDir();
        await Proc.FfmpegAsync("-f", "lavfi", "-i", "testsrc2=size=800x400", "-frames:v", "1", folder["front.png"]);
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["good-h264-aac.mp4"]);
        var row = Row("good-h264-aac.mp4");
        row.FindElement(By.CssSelector(".review-assembly > summary")).Click();
        Set(row, "cover", "image");

        // Not chosen yet: marked before anything is sent.
        row = Row("good-h264-aac.mp4");
        Assert.Contains(row.FindElements(By.CssSelector(".review-errors li")), e => e.Text.Contains("Choose the picture", StringComparison.Ordinal));
        row.FindElement(By.CssSelector("[data-field='coverImage']")).SendKeys(folder["front.png"]);
        Page.WaitFor(() => Row("good-h264-aac.mp4").FindElement(By.CssSelector(".review-summary")).Text.Contains("cover from front.png", StringComparison.Ordinal) ? "" : null, "the picture to be taken");
        Assert.Empty(Row("good-h264-aac.mp4").FindElements(By.CssSelector(".review-errors li")));
        Page.ConvertReviewed();
        var card = Page.JobCardIn("good-h264-aac.mp4", "succeeded", 180);
        Assert.Contains("cover art from a picture", card.Text, StringComparison.Ordinal);

        using var client = Server.Client(Server.AdminKey);
        var job = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal("image", job.GetProperty("options").GetProperty("cover").GetString());
        var file = folder["own.mp3"];
        await File.WriteAllBytesAsync(file, await client.GetByteArrayAsync(job.GetProperty("results")[0].GetProperty("url").GetString()));
        var picture = await Proc.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name,width,height:stream_disposition=attached_pic", "-of", "csv=p=0", file]);
        Assert.Equal("mjpeg,400,400,1", picture.Stdout.Trim());
    }
}
