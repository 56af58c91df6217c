using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>The waveform in the review step: decoded in the browser, trimmed by dragging (or the keyboard), in step with the typed times.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebWaveformTests(TestMedia media) : BrowserTest
{
    [Fact(Timeout = 240_000)]
    public async Task The_waveform_is_drawn_from_the_file_and_trimming_on_it_sets_the_times_the_job_gets()
    {
        Page.SignIn("admin", Server.AdminPassword);
        Page.Review(media["long-30s.m4a"]);
        var row = Page.WaitFor(() => Page.FindAll("#review-list .review").FirstOrDefault(r => r.GetAttribute("data-state") != "reading"), "the review row");
        row.FindElement(By.CssSelector(".waveform-show")).Click();
        Page.WaitFor(() => row.FindElement(By.CssSelector(".waveform")).GetAttribute("data-ready") == "true", "the waveform decoded");
        // Drawn from the sound: lavfi's sine is at 1/8 of full scale, so its bars fill about an eighth of the picture's height.
        var lit = Convert.ToDouble(Page.Js("""
            const c = arguments[0].querySelector('canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let painted = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++; return painted / (c.width * c.height);
            """, row), CultureInfo.InvariantCulture);
        Assert.InRange(lit, 0.09, 0.2);

        // The keyboard moves the start handle in tenths; the typed field follows.
        var start = row.FindElement(By.CssSelector("input.trim-start"));
        Assert.Equal(start, Page.Driver.SwitchTo().ActiveElement());
        for (var i = 0; i < 20; i++)
        {
            start.SendKeys(Keys.ArrowRight);
        }

        Page.WaitFor(() => row.FindElement(By.CssSelector("[data-field='start']")).GetAttribute("value") == "0:02.0", "the start field at 0:02.0");
        // Typing the end moves its handle.
        var end = row.FindElement(By.CssSelector("[data-field='end']"));
        end.SendKeys("0:12.5");
        Page.WaitFor(() => row.FindElement(By.CssSelector("input.trim-end")).GetAttribute("value") == "12.5", "the end handle at 12.5 s");
        // Dragging the end handle past the start stops just after it.
        Page.Js("const e = arguments[0].querySelector('input.trim-end'); e.value = '1'; e.dispatchEvent(new Event('input', { bubbles: true }));", row);
        Assert.Equal("0:02.1", end.GetAttribute("value"));
        end.Clear();
        end.SendKeys("0:12.5");
        Assert.Contains("0:02.0–0:12.5", row.FindElement(By.CssSelector(".review-summary")).Text, StringComparison.Ordinal);
        Page.Screenshot("25-waveform");

        Page.ClickConvert();
        var card = Page.JobCardIn("long-30s.m4a", "succeeded", 120);
        using var api = Server.Client(Server.AdminKey);
        var job = (await api.GetFromJsonAsync<JsonElement>("/api/v1/jobs")).GetProperty("jobs")[0];
        Assert.Equal("0:02.0", job.GetProperty("options").GetProperty("start").GetString());
        Assert.Equal("0:12.5", job.GetProperty("options").GetProperty("end").GetString());
        Assert.Equal(10.5, job.GetProperty("results")[0].GetProperty("durationSeconds").GetDouble(), 1);
        Assert.NotNull(card);
        Assert.Empty(Page.ConsoleErrors());
    }
}
