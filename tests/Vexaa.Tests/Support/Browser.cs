using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Vexaa.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven by chromedriver through Selenium: a fresh profile and download folder per browser.
/// When Chromium or chromedriver is missing the tests fail and say how to install them; nothing is skipped quietly.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromedriverPath = "/usr/bin/chromedriver";

    private readonly TempDir _profile = new();

    private Browser(Uri baseAddress, Size size, bool networkLog = false)
    {
        foreach (var (path, package) in new[] { (ChromiumPath, "chromium"), (ChromedriverPath, "chromium-driver") })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{path} is missing: the web page tests need Debian's '{package}' package. Run ./test.sh (it installs it) or 'apt-get install chromium chromium-driver'.");
            }
        }

        BaseAddress = baseAddress;
        Directory.CreateDirectory(Downloads.Path);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromedriverPath)!, Path.GetFileName(ChromedriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter", "--lang=en-US", "--hide-scrollbars",
            $"--user-data-dir={_profile.Path}", $"--window-size={size.Width},{size.Height}");
        options.AddUserProfilePreference("download.default_directory", Downloads.Path);
        options.AddUserProfilePreference("download.prompt_for_download", false);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        if (networkLog)
        {
            // DevTools' Network events, read back by RequestedUrls.
            options.SetLoggingPreference("performance", LogLevel.All);
        }

        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
        Driver.ExecuteCdpCommand("Browser.setDownloadBehavior", new Dictionary<string, object?> { ["behavior"] = "allow", ["downloadPath"] = Downloads.Path });
        if (size.Width < 600)
        {
            // Headless windows are at least 500 px wide; a phone is emulated as DevTools does it.
            Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
            {
                ["width"] = size.Width, ["height"] = size.Height, ["deviceScaleFactor"] = 1, ["mobile"] = true,
            });
        }
    }

    public static Browser Start(Uri baseAddress, int width = 1366, int height = 900) => new(baseAddress, new Size(width, height));

    /// <summary>A browser that records every request its pages make (DevTools Network.requestWillBeSent), for <see cref="RequestedUrls"/>.</summary>
    public static Browser StartRecordingRequests(Uri baseAddress) => new(baseAddress, new Size(1366, 900), networkLog: true);

    /// <summary>Every URL requested since the last call, including those the Content-Security-Policy then blocked.</summary>
    public IReadOnlyList<string> RequestedUrls() =>
        [.. Driver.Manage().Logs.GetLog("performance")
            .Select(e => System.Text.Json.JsonDocument.Parse(e.Message).RootElement.GetProperty("message"))
            .Where(m => m.GetProperty("method").GetString() == "Network.requestWillBeSent")
            .Select(m => m.GetProperty("params").GetProperty("request").GetProperty("url").GetString() ?? "")];

    public ChromeDriver Driver { get; }
    public Uri BaseAddress { get; }
    public TempDir Downloads { get; } = new();

    public void Open(string path = "/") => Driver.Navigate().GoToUrl(new Uri(BaseAddress, path));

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    public object? Js(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Waits until <paramref name="condition"/> holds; on timeout fails with what the page showed.</summary>
    public T WaitFor<T>(Func<T?> condition, string what, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var value = condition();
                if (value is not null && !(value is bool b && !b))
                {
                    return value;
                }
            }
            catch (WebDriverException e)
            {
                last = e;
            }

            Thread.Sleep(100);
        }

        var text = (Js("return document.body.innerText") as string) ?? "";
        throw new TimeoutException($"Waited {seconds} s for {what}. {last?.Message}\nThe page said:\n{text[..Math.Min(text.Length, 3000)]}");
    }

    public void SignIn(string user, string password)
    {
        Open();
        WaitFor(() => Find("#signin-user").Displayed, "the sign-in form");
        Find("#signin-user").SendKeys(user);
        Find("#signin-password").SendKeys(password);
        Find("#signin-submit").Click();
        WaitFor(() => Find("#app-view").Displayed, $"the page after signing in as {user}");
    }

    public void SignOut()
    {
        Find("#signout").Click();
        WaitFor(() => Find("#signin-view").Displayed, "the sign-in form after signing out");
    }

    /// <summary>Picks files with the page's file input, as the "Choose videos" dialog would.</summary>
    /// <summary>Chooses files and converts them as they are (the whole file sent), as the page did before its review step.</summary>
    public void Choose(params string[] files)
    {
        Review(files);
        ConvertReviewed(whole: true);
    }

    /// <summary>Chooses files: they wait in the review step, read locally, nothing sent.</summary>
    public void Review(params string[] files) => Find("#file-input").SendKeys(string.Join("\n", files));

    /// <summary>Waits until every reviewed file has been read, optionally ticks "send the whole video", and presses Convert.</summary>
    public void ConvertReviewed(bool whole = false)
    {
        WaitFor(() => FindAll("#review-list .review") is { Count: > 0 } rows && rows.All(r => r.GetAttribute("data-state") != "reading"), "the files to be read");
        if (whole)
        {
            Js("document.querySelectorAll('#review-list input[data-field=\"whole\"]').forEach(c => { c.checked = true; c.dispatchEvent(new Event('change', { bubbles: true })); })");
        }

        ClickConvert();
    }

    /// <summary>Presses Convert, scrolled into the middle of the window so the sticky top bar cannot cover it.</summary>
    public void ClickConvert()
    {
        var button = Find("#convert-all");
        Js("arguments[0].scrollIntoView({ block: 'center' })", button);
        button.Click();
    }

    /// <summary>
    /// Drops files on the drop zone: a temporary file input gets them, then a real DragEvent carries them to the zone, as a
    /// drag from the desktop would (WebDriver cannot drag from outside the browser).
    /// </summary>
    public void Drop(params string[] files)
    {
        Js("const i = document.createElement('input'); i.type = 'file'; i.multiple = true; i.id = 'test-drop-source'; document.body.append(i);");
        Find("#test-drop-source").SendKeys(string.Join("\n", files));
        Js("""
            const source = document.getElementById('test-drop-source');
            const data = new DataTransfer();
            for (const file of source.files) data.items.add(file);
            const zone = document.getElementById('dropzone');
            for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
            source.remove();
            """);
    }

    /// <summary>The job card for an input name, once it exists.</summary>
    public IWebElement JobCard(string inputName, double seconds = 60) =>
        WaitFor(() => FindAll("#job-list > li").FirstOrDefault(li => li.FindElement(By.CssSelector(".job-name")).Text == inputName), $"a job for {inputName}", seconds);

    public IWebElement JobCardIn(string inputName, string status, double seconds = 90) =>
        WaitFor(() => FindAll("#job-list > li").FirstOrDefault(li => li.GetAttribute("data-status") == status && li.FindElement(By.CssSelector(".job-name")).Text == inputName),
            $"the job for {inputName} to be {status}", seconds);

    /// <summary>Saves a screenshot to test-results/screenshots/ in the repository, to look at.</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(Repository.Root, "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>
    /// Console errors the page produced: a CSP violation, a script error or a 5xx would show here. Chromium also logs every
    /// 4xx answer; those are API answers the page handles and explains (401 before signing in, 422 for a file that cannot
    /// be read), so they are left out.
    /// </summary>
    public IReadOnlyList<string> ConsoleErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message)
            .Where(m => !m.Contains("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))];

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            _profile.Dispose();
            Downloads.Dispose();
        }
    }
}

/// <summary>The repository the tests run from (where Vexaa.slnx is).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vexaa.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run from inside the VExAA repository.");
    }
}
