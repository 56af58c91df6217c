using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>The web page in a real Chromium: what a person does, from signing in to downloading the audio.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebPageTests(TestMedia media) : BrowserTest
{
    private static double Seconds(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    [Fact(Timeout = 180_000)]
    public async Task A_person_signs_in_drops_a_video_listens_and_downloads_the_audio()
    {
        Page.Open();
        Page.WaitFor(() => Page.Find("#signin-user").Displayed, "the sign-in form");
        Page.Screenshot("01-sign-in");
        Page.SignIn("admin", Server.AdminPassword);
        Assert.Equal("admin", Page.Find("#user-name").Text);

        Page.Drop(media["good-h264-aac.mp4"]);
        Page.ConvertReviewed();
        var card = Page.JobCardIn("good-h264-aac.mp4", "succeeded");

        Assert.Equal("100", card.FindElement(By.CssSelector("progress")).GetAttribute("value"));
        Assert.Contains("100%", card.FindElement(By.CssSelector(".progress-text")).Text);
        Assert.Contains("0:05", card.FindElement(By.CssSelector(".job-input")).Text);
        Assert.Contains("MP3", card.FindElement(By.CssSelector(".job-output")).Text);
        var duration = Page.WaitFor(() =>
            Page.Js("const a = arguments[0].querySelector('audio'); return a.readyState >= 1 && a.duration > 0 ? a.duration : null;", card) is { } d ? Seconds(d) : (double?)null,
            "the player to load the audio");
        Assert.InRange(duration!.Value, 4.5, 5.5);
        Page.Screenshot("02-main-with-a-finished-job");

        card.FindElement(By.CssSelector("a.download")).Click();
        var file = Page.WaitFor(() => Page.Downloads.Files().FirstOrDefault(f => f == "good-h264-aac.mp3"), "the download");
        var probed = await Proc.ProbeAsync(Page.Downloads[file]);
        Assert.Equal("mp3", probed.Codec);
        Assert.InRange(probed.Duration, 4.5, 5.5);
        Assert.Equal("good-h264-aac.mp4 is ready to play and download.", Page.Find("#announcer").GetAttribute("textContent"));
        Assert.Empty(Page.ConsoleErrors());
    }

    [Fact(Timeout = 180_000)]
    public async Task Broken_files_say_what_is_wrong_in_plain_words_and_offer_retry_only_where_it_helps()
    {
        Page.SignIn("admin", Server.AdminPassword);
        // A video without sound is found in the browser, before anything is sent: the review row says so and Convert sends nothing.
        Page.Review(media["broken-no-audio.mp4"]);
        var silent = Page.WaitFor(() => Page.FindAll("#review-list .review").FirstOrDefault(r => r.GetAttribute("data-state") == "invalid"), "the silent video to be refused");
        Assert.Contains("no audio track", silent.FindElement(By.CssSelector(".review-errors")).Text);
        Page.ClickConvert();
        await Task.Delay(1000);
        using (var client = Server.Client(Server.AdminKey))
        {
            Assert.Equal(0, (await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength());
        }

        silent.FindElement(By.CssSelector("button[aria-label^='Remove']")).Click();
        // A file the browser cannot read is sent whole, and the server says what is wrong.
        Page.Choose(media["broken-text.mp4"], media["good-with-tags.mp4"]);

        var text = Page.JobCardIn("broken-text.mp4", "failed");
        Assert.Equal("This file is not a video or audio file. Check that you picked the right file.", text.FindElement(By.CssSelector(".failure-text")).Text);
        Assert.Empty(text.FindElements(By.CssSelector("button.retry")));
        Page.JobCardIn("good-with-tags.mp4", "succeeded");
        Page.Js("window.scrollTo(0, 0)");
        Page.Screenshot("03-failed-jobs");
        Assert.Empty(Page.ConsoleErrors());
    }

    [Fact(Timeout = 240_000)]
    public async Task A_failure_that_trying_again_can_fix_has_a_retry_button()
    {
        // A one-second limit makes loudness normalisation of a 400-second input time out: a failure where trying again makes sense.
        await using var server = await ServerProcess.StartAsync(workers: 1, new() { ["Vexaa__Limits__JobTimeoutSeconds"] = "1" });
        using var browser = Browser.Start(server.BaseAddress);
        browser.SignIn("admin", server.AdminPassword);
        browser.Find("[data-preset='podcast'] input").Click();
        browser.Choose(media["long-400s.m4a"]);
        var card = browser.JobCardIn("long-400s.m4a", "failed", 120);
        Assert.Contains("took too long", card.FindElement(By.CssSelector(".failure-text")).Text);

        card.FindElement(By.CssSelector("button.retry")).Click();
        browser.WaitFor(() => browser.FindAll("#job-list > li").Any(li => li.GetAttribute("data-status") is "queued" or "running"), "the job to be queued again");
        browser.JobCardIn("long-400s.m4a", "failed", 120);
        using var api = server.Client(server.AdminKey);
        var jobs = await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs");
        Assert.Equal("podcast", jobs.GetProperty("jobs")[0].GetProperty("options").GetProperty("normalize").GetString());
    }

    [Fact(Timeout = 180_000)]
    public async Task Audio_tracks_are_listed_by_language_and_the_chosen_one_is_converted()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["good-two-audio-tracks.mp4"]);
        var row = Page.WaitFor(() => Page.FindAll("#review-list .review[data-state='ready']").FirstOrDefault(), "the file to be read");
        var labels = row.FindElements(By.CssSelector("[data-field='track'] option")).Select(l => l.Text).ToList();
        Assert.Equal(4, labels.Count);
        Assert.Contains("German", labels[0]);
        Assert.StartsWith("The main track", labels[0]);
        Assert.Contains("English", labels[1]);
        Assert.Contains("German", labels[2]);
        Assert.StartsWith("Every track", labels[3]);
        Page.Screenshot("04-choose-an-audio-track");

        Page.Js("const s = arguments[0].querySelector('[data-field=track]'); s.value = '0'; s.dispatchEvent(new Event('change', { bubbles: true }));", row);
        Page.ConvertReviewed();
        Page.JobCardIn("good-two-audio-tracks.mp4", "succeeded");
        using var api = Server.Client(Server.AdminKey);
        var job = (await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal(0, job.GetProperty("results")[0].GetProperty("track").GetInt32());
    }

    [Fact(Timeout = 180_000)]
    public async Task A_preset_applies_to_new_uploads_and_several_results_download_as_one_zip()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Find("[data-preset='speech'] input").Click();
        Page.Find("#advanced summary").Click();
        Assert.Equal("opus", Page.Find("#opt-format").GetAttribute("value"));
        Assert.Equal("32k", Page.Find("#opt-bitrate").GetAttribute("value"));
        Assert.Equal("1", Page.Find("#opt-channels").GetAttribute("value"));
        Page.Js("document.getElementById('advanced').scrollIntoView()");
        Page.Screenshot("10-advanced-settings");
        Page.Js("window.scrollTo(0, 0)");
        Page.Choose(media["good-h264-aac.mp4"], media["good-mpeg4-mp3.avi"]);
        Page.JobCardIn("good-h264-aac.mp4", "succeeded");
        Page.JobCardIn("good-mpeg4-mp3.avi", "succeeded");
        Assert.Contains("OPUS 32 kbps mono", Page.JobCard("good-mpeg4-mp3.avi").FindElement(By.CssSelector(".job-output")).Text);

        Page.Find("#select-all").Click();
        Assert.Equal("Download 2 as .zip", Page.Find("#download-selected").Text);
        Page.Find("#download-selected").Click();
        var zipName = Page.WaitFor(() => Page.Downloads.Files().FirstOrDefault(f => f.EndsWith(".zip", StringComparison.Ordinal)), "the zip download");
        await using var zip = await ZipFile.OpenReadAsync(Page.Downloads[zipName]);
        Assert.Equal(["good-h264-aac.opus", "good-mpeg4-mp3.opus"], zip.Entries.Select(e => e.FullName).Order().ToArray());
        await zip.ExtractToDirectoryAsync(Page.Downloads.Path);
        Assert.Equal("opus", (await Proc.ProbeAsync(Page.Downloads["good-mpeg4-mp3.opus"])).Codec);

        // Deleting asks for a second press, then the jobs disappear from the list and from the server.
        Page.Find("#delete-selected").Click();
        Assert.Equal("Really delete?", Page.Find("#delete-selected").Text);
        Page.Find("#delete-selected").Click();
        Page.WaitFor(() => Page.Find("#jobs-empty").Displayed, "the empty list");
        using var api = Server.Client(Server.AdminKey);
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs").GetArrayLength());
    }

    [Fact(Timeout = 180_000)]
    public async Task An_admin_adds_a_person_who_sees_only_their_own_jobs()
    {
        using var api = Server.Client(Server.AdminKey);
        await Api.WaitAsync(api, await Api.SubmitOkAsync(api, media["good-h264-aac.mp4"]));
        Page.SignIn("admin", Server.AdminPassword);
        Page.JobCardIn("good-h264-aac.mp4", "succeeded");

        Page.Find("#nav-admin").Click();
        Page.WaitFor(() => Page.FindAll("#user-rows tr").Count == 1, "the list of people");
        Page.Find("#new-user-name").SendKeys("bea");
        Page.Find("#new-user-form button[type=submit]").Click();
        var password = Page.WaitFor(() => Page.Find("#admin-secrets .secret-value").Text is { Length: > 0 } p ? p : null, "the new password");
        Page.WaitFor(() => Page.FindAll("#user-rows tr").Count == 2, "bea in the list");
        Page.Find("#user-rows tr[data-name='bea'] button.manage").Click();
        Page.WaitFor(() => Page.FindAll("#person-keys form button[type=submit]").FirstOrDefault(b => b.Displayed), "bea's keys").Click();
        var key = Page.WaitFor(() => Page.Find("#admin-secrets .secret-value").Text is { } k && k.StartsWith("vx_", StringComparison.Ordinal) ? k : null, "the new key");
        // The password shown before is still there: a new secret never replaces one not yet passed on.
        Assert.Equal(password, Page.FindAll("#admin-secrets .secret-value")[1].Text);
        Page.Screenshot("05-admin");

        Page.SignOut();
        Page.SignIn("bea", password);
        Page.WaitFor(() => Page.Find("#jobs-empty").Displayed, "bea's empty list");
        Assert.Empty(Page.FindAll("#job-list > li"));
        Assert.False(Page.Find("#nav-admin").Displayed);
        using var bea = Server.Client(key);
        Assert.Equal("bea", (await bea.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await bea.GetAsync("/api/v1/admin/users")).StatusCode);
    }
}
