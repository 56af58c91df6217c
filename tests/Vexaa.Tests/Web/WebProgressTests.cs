using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Progress as a person sees it: the phase of a running job, the place of a waiting one, the batch, the tab, and a lost connection.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebProgressTests(TestMedia media) : BrowserTest
{
    private string CardText(string id) => Page.Find($"#job-list > li[data-id='{id}'] .progress-text").Text;

    [Fact(Timeout = 240_000)]
    public async Task Cards_say_the_phase_and_the_place_in_line_the_tab_shows_progress_and_a_lost_server_is_announced()
    {
        using var api = Server.Client(Server.AdminKey);
        var slow = new Dictionary<string, string> { ["format"] = "flac", ["normalize"] = "podcast" };
        var running = await Api.SubmitOkAsync(api, media["long-400s.m4a"], slow);
        var second = await Api.SubmitOkAsync(api, media["long-400s.m4a"], slow);
        var third = await Api.SubmitOkAsync(api, media["good-h264-aac.mp4"]);

        Page.SignIn("admin", Server.AdminPassword);
        Page.WaitFor(() => CardText(running).StartsWith("Measuring loudness (pass 1 of 2)", StringComparison.Ordinal)
            || CardText(running).StartsWith("Encoding (pass 2 of 2)", StringComparison.Ordinal) ? true : (bool?)null, "the running job's phase");
        Page.WaitFor(() => CardText(second) == "Waiting · next in line", "the next job's place");
        Page.WaitFor(() => CardText(third) == "Waiting · 2nd in line", "the third job's place");
        var batch = Page.WaitFor(() => Page.Find("#batch-status").Text is { Length: > 0 } t ? t : null, "the batch line");
        Assert.Contains("0 of 3 done", batch, StringComparison.Ordinal);
        Assert.Contains("1 converting", batch, StringComparison.Ordinal);
        Assert.Contains("2 waiting", batch, StringComparison.Ordinal);
        Page.WaitFor(() => Page.Driver.Title.StartsWith('(') && Page.Driver.Title.EndsWith("%) Convert — VExAA", StringComparison.Ordinal) ? true : (bool?)null, "progress in the tab's title");
        Page.Screenshot("23-progress");

        // The first one is canceled: the others move up, without anything from the feed about other people's queues.
        Page.WaitFor(() => CardText(running).Contains("Encoding", StringComparison.Ordinal) ? true : (bool?)null, "the second pass", 120);
        Assert.True((await api.DeleteAsync($"/api/v1/jobs/{running}")).IsSuccessStatusCode);
        Page.WaitFor(() => CardText(third) == "Waiting · next in line", "the third job moving up");

        // The server goes away: the page says so, and stops saying it when it is back.
        await Server.KillAsync();
        Page.WaitFor(() => Page.Find("#connection-banner").Displayed, "the connection banner");
        Page.Screenshot("24-connection-lost");
        await Server.RestartAsync();
        Page.WaitFor(() => !Page.Find("#connection-banner").Displayed, "the banner gone once the server is back", 60);
        Page.JobCardIn("good-h264-aac.mp4", "succeeded", 180);
    }
}
