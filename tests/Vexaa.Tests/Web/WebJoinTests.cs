using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Several files arranged in order on the page and sent as one join, each as its audio only.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebJoinTests(TestMedia media) : BrowserTest
{
    private IWebElement Row(string name) =>
        Page.WaitFor(() => Page.FindAll("#review-list .review").FirstOrDefault(r => r.FindElement(By.CssSelector(".job-name")).Text == name && r.GetAttribute("data-state") != "reading"),
            $"the review row of {name}");

    private void Type(IWebElement input, string text)
    {
        input.Clear();
        input.SendKeys(text);
    }

    [Fact(Timeout = 240_000)]
    public async Task Two_videos_are_put_in_order_checked_and_joined_into_one_file_with_a_chapter_each()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["good-h264-aac.mp4"], media["good-h264-opus.mkv"]);
        Row("good-h264-aac.mp4");
        Row("good-h264-opus.mkv");
        Page.Find("#join-files").Click();
        Assert.Equal("Join 2 files", Page.Find("#convert-all").Text);

        // A cut does not belong in a join, and a gap must be seconds: both are shown before anything is sent.
        Type(Row("good-h264-opus.mkv").FindElement(By.CssSelector("[data-field='start']")), "0:01");
        Assert.Contains(Row("good-h264-opus.mkv").FindElements(By.CssSelector(".review-errors li")), e => e.Text.Contains("takes every file whole", StringComparison.Ordinal));
        Row("good-h264-opus.mkv").FindElement(By.CssSelector("[data-field='start']")).Clear();
        Type(Page.Find("#join-gap"), "soon");
        Page.WaitFor(() => Page.Find("#review-status").Text.Contains("not a gap", StringComparison.Ordinal) ? "" : null, "the gap's error");
        Page.ClickConvert();
        Assert.Equal("true", Page.Find("#join-gap").GetAttribute("aria-invalid"));
        Assert.Empty(Page.FindAll("#upload-list li"));
        Type(Page.Find("#join-gap"), "1");

        // The second file goes first; focus stays on the arrows.
        Row("good-h264-opus.mkv").FindElement(By.CssSelector("[aria-label='Move good-h264-opus.mkv up']")).Click();
        Assert.Equal(["good-h264-opus.mkv", "good-h264-aac.mp4"], Page.FindAll("#review-list .review .job-name").Select(e => e.Text));
        Assert.Equal("Move good-h264-opus.mkv down", Page.Js("return document.activeElement.getAttribute('aria-label')"));
        Page.Screenshot("32-join-review");
        Page.ClickConvert();

        var card = Page.JobCardIn("good-h264-opus.mkv", "succeeded", 180);
        Page.Screenshot("33-join-result");
        using var client = Server.Client(Server.AdminKey);
        var job = (await client.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal(["good-h264-aac.mp4"], job.GetProperty("options").GetProperty("joinParts").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("1", job.GetProperty("options").GetProperty("gap").GetString());
        var result = Assert.Single(job.GetProperty("results").EnumerateArray());
        Assert.Equal(11, result.GetProperty("durationSeconds").GetDouble(), 0.1);
        Assert.Equal(["good-h264-opus", "good-h264-aac"], result.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("title").GetString()));

        // Only the sound of each video was sent: together far less than the videos.
        var videos = new FileInfo(media["good-h264-aac.mp4"]).Length + new FileInfo(media["good-h264-opus.mkv"]).Length;
        Assert.True(job.GetProperty("input").GetProperty("size").GetInt64() < videos / 2, job.ToString());
        Assert.Contains("joined with good-h264-aac.mp4", card.Text, StringComparison.Ordinal);
        Assert.Contains("0:11", card.Text, StringComparison.Ordinal);
    }
}
