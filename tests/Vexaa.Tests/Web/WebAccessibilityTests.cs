using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>The page on a phone-sized screen, with a keyboard alone, and as a screen reader meets it.</summary>
[Collection(MediaCollection.Name)]
public sealed class WebAccessibilityTests(TestMedia media)
{
    [Fact(Timeout = 180_000)]
    public async Task The_page_fits_a_phone_and_works_with_the_keyboard_alone()
    {
        await using var server = await ServerProcess.StartAsync(workers: 1);
        using (var api = server.Client(server.AdminKey))
        {
            await Api.WaitAsync(api, await Api.SubmitOkAsync(api, media["good-h264-aac.mp4"], new() { ["format"] = "m4a" }));
            await Api.WaitAsync(api, await Api.SubmitOkAsync(api, media["broken-random.mp4"]));
        }

        using var browser = Browser.Start(server.BaseAddress, 390, 844);
        browser.Open();
        var user = browser.WaitFor(() => browser.Driver.SwitchTo().ActiveElement() is { } e && e.GetAttribute("id") == "signin-user" ? e : null, "focus in the user name field");
        user.SendKeys("admin" + Keys.Tab);
        browser.Driver.SwitchTo().ActiveElement().SendKeys(server.AdminPassword + Keys.Enter);
        browser.WaitFor(() => browser.Find("#app-view").Displayed, "the page after a keyboard sign-in");
        browser.JobCardIn("good-h264-aac.mp4", "succeeded");
        browser.JobCardIn("broken-random.mp4", "failed");
        browser.Screenshot("08-phone");
        browser.Js("document.getElementById('job-list').scrollIntoView()");
        browser.Screenshot("09-phone-jobs");

        Assert.True((bool)browser.Js("return document.documentElement.scrollWidth <= window.innerWidth")!, "the page scrolls sideways on a phone");

        // Tab from the top reaches everything that matters, in reading order.
        browser.Open();
        browser.JobCardIn("good-h264-aac.mp4", "succeeded");
        var order = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Tab).Perform();
            order.Add((string)browser.Js("""
                const e = document.activeElement;
                return e.id || e.getAttribute('aria-label') || e.className.baseVal || e.className || e.tagName;
                """)!);
        }

        int At(Func<string, bool> match, string what)
        {
            var index = order.FindIndex(s => match(s));
            Assert.True(index >= 0, $"Tab never reached {what}: {string.Join(" | ", order)}");
            return index;
        }

        var choose = At(s => s == "choose-files", "the Choose videos button");
        var preset = At(s => s.Contains("preset-radio", StringComparison.Ordinal), "the presets");
        var job = At(s => s.StartsWith("Select good-h264-aac.mp4", StringComparison.Ordinal), "a job's checkbox");
        Assert.True(choose < preset && preset < job, string.Join(" | ", order));

        // Every control has a name a screen reader can say.
        var unnamed = (IReadOnlyCollection<object>)browser.Js("""
            return [...document.querySelectorAll('#app-view input, #app-view select, #app-view textarea, #app-view button, #app-view a, #app-view audio')]
              .filter(e => e.type !== 'hidden' && !e.closest('[hidden]') && e.getAttribute('aria-hidden') !== 'true')
              .filter(e => !(e.labels?.length || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.textContent.trim()))
              .map(e => e.outerHTML.slice(0, 120));
            """)!;
        Assert.Empty(unnamed);
        Assert.Equal("polite", browser.Find("#announcer").GetAttribute("aria-live"));
        Assert.Empty(browser.ConsoleErrors());

        // Phones are often in dark mode; the page follows it.
        browser.Driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new Dictionary<string, object?>
        {
            ["features"] = new[] { new Dictionary<string, object?> { ["name"] = "prefers-color-scheme", ["value"] = "dark" } },
        });
        browser.Js("document.getElementById('job-list').scrollIntoView()");
        Assert.Equal("rgb(15, 17, 32)", browser.Js("return getComputedStyle(document.body).backgroundColor"));
        browser.Screenshot("11-phone-dark");
    }
}
