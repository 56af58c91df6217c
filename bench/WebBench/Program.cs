using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

// The web page from drop to a downloadable MP3, in Chromium with the upload throttled by DevTools, audio only against
// the whole file, for each input given. Usage: WebBench CLI_DLL MBIT INPUT... ; prints a Markdown table.
var cli = args[0];
var mbit = double.Parse(args[1], CultureInfo.InvariantCulture);
var inputs = args[2..];
var data = Directory.CreateTempSubdirectory("vexaa-webbench-").FullName;
var port = FreePort();
var baseAddress = new Uri($"http://127.0.0.1:{port}/");
var password = "";
var key = "";
var serverInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
foreach (var a in new[] { cli, "serve", "--data", data, "--urls", baseAddress.ToString().TrimEnd('/'), "--workers", "1" })
{
    serverInfo.ArgumentList.Add(a);
}

// Room for two 1 GB inputs at once (the defaults are for shared servers).
serverInfo.Environment["Vexaa__Limits__QuotaBytesPerUser"] = (64L << 30).ToString(CultureInfo.InvariantCulture);
serverInfo.Environment["Vexaa__Limits__MaxUploadBytes"] = (16L << 30).ToString(CultureInfo.InvariantCulture);
using var server = Process.Start(serverInfo)!;
server.OutputDataReceived += (_, e) =>
{
    if (e.Data is { } line && line.Contains("password:", StringComparison.Ordinal) && password.Length == 0)
    {
        password = line.Split(':', 2)[1].Trim();
    }

    if (e.Data is { } keyLine && keyLine.Contains("API key:", StringComparison.Ordinal))
    {
        key = keyLine.Split(':', 2)[1].Trim();
    }
};
server.BeginOutputReadLine();
server.BeginErrorReadLine();
using var http = new HttpClient { BaseAddress = baseAddress };
while (key.Length == 0 || !(await Healthy(http)))
{
    await Task.Delay(200);
}

http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var profile = Directory.CreateTempSubdirectory("vexaa-webbench-chromium-").FullName;
var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
service.SuppressInitialDiagnosticInformation = true;
var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={profile}", "--window-size=1366,900");
using var driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(10));
driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromMinutes(10);
await driver.Navigate().GoToUrlAsync(baseAddress);
Wait(() => driver.FindElement(By.Id("signin-user")).Displayed);
driver.FindElement(By.Id("signin-user")).SendKeys("admin");
driver.FindElement(By.Id("signin-password")).SendKeys(password);
driver.FindElement(By.Id("signin-submit")).Click();
Wait(() => driver.FindElement(By.Id("app-view")).Displayed);
// DevTools' throttle applies to every request of the page, the tus upload's PATCHes included.
var bytesPerSecond = mbit * 1_000_000 / 8;
driver.ExecuteCdpCommand("Network.enable", []);
driver.ExecuteCdpCommand("Network.emulateNetworkConditions", new Dictionary<string, object?>
{
    ["offline"] = false, ["latency"] = 5, ["downloadThroughput"] = bytesPerSecond, ["uploadThroughput"] = bytesPerSecond,
});

Console.WriteLine($"Chromium {driver.Capabilities.GetCapability("browserVersion")}, upload and download throttled to {mbit} Mbit/s, 1 worker, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| input | size | sent | bytes sent | share of the file | read, copy and send (s) | wait + convert (s) | drop → MP3 ready (s) | ÷ whole file |");
Console.WriteLine("|---|--:|---|--:|--:|--:|--:|--:|--:|");
foreach (var input in inputs)
{
    var size = new FileInfo(input).Length;
    var whole = await RunAsync(input, whole: true);
    var audio = await RunAsync(input, whole: false);
    foreach (var (label, run) in new[] { ("whole file", whole), ("audio only", audio) })
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Path.GetFileName(input)} | {size / 1e6:F0} MB | {label} | {run.Sent:N0} | {100.0 * run.Sent / size:F2} % | {run.Sending:F1} | {run.Converting:F1} | {run.Seconds:F1} | {run.Seconds / whole.Seconds:F3} |"));
    }
}

driver.Quit();
server.Kill(entireProcessTree: true);
Directory.Delete(data, recursive: true);
return;

async Task<(long Sent, double Sending, double Converting, double Seconds)> RunAsync(string input, bool whole)
{
    var before = await JobIdsAsync();
    var dropped = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    driver.FindElement(By.Id("file-input")).SendKeys(input);
    Wait(() => driver.FindElements(By.CssSelector("#review-list .review")).Count == 1 && driver.FindElement(By.CssSelector("#review-list .review")).GetAttribute("data-state") != "reading");
    var box = driver.FindElements(By.CssSelector("#review-list input[data-field='whole']")).FirstOrDefault();
    if (box is not null && box.Selected != whole)
    {
        driver.ExecuteScript("arguments[0].checked = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));", box, whole);
    }

    var convert = driver.FindElement(By.Id("convert-all"));
    driver.ExecuteScript("arguments[0].scrollIntoView({ block: 'center' })", convert);
    convert.Click();
    string? copyMs = null;
    string? id = null;
    while (id is null)
    {
        await Task.Delay(200);
        copyMs ??= driver.ExecuteScript("return document.querySelector('#upload-list li[data-copy-ms]')?.dataset.copyMs ?? null") as string;
        id = (await JobIdsAsync()).Except(before).FirstOrDefault();
    }

    Wait(() => driver.FindElements(By.CssSelector($"#job-list > li[data-id='{id}'][data-status='succeeded'] a.download")).Count > 0, minutes: 30);
    var seconds = clock.Elapsed.TotalSeconds;
    if (copyMs is not null)
    {
        await Console.Error.WriteLineAsync($"{Path.GetFileName(input)}: copied in the browser in {copyMs} ms");
    }
    var job = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/jobs/{id}")).RootElement;
    await http.DeleteAsync($"/api/v1/jobs/{id}");
    // The job exists once its input has arrived: before that the page read, copied (audio only) and sent it.
    var created = job.GetProperty("createdAt").GetDateTimeOffset();
    var finished = job.GetProperty("finishedAt").GetDateTimeOffset();
    return (job.GetProperty("input").GetProperty("size").GetInt64(), (created - dropped).TotalSeconds, (finished - created).TotalSeconds, seconds);
}

async Task<HashSet<string>> JobIdsAsync()
{
    var list = JsonDocument.Parse(await http.GetStringAsync("/api/v1/jobs?limit=100")).RootElement;
    return [.. list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];
}

static async Task<bool> Healthy(HttpClient http)
{
    try
    {
        return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
    }
    catch (HttpRequestException)
    {
        return false;
    }
}

void Wait(Func<bool> condition, double minutes = 2)
{
    var deadline = DateTime.UtcNow.AddMinutes(minutes);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            if (condition())
            {
                return;
            }
        }
        catch (WebDriverException)
        {
        }

        Thread.Sleep(100);
    }

    throw new TimeoutException("The page did not get there: " + driver.FindElement(By.TagName("body")).Text[..Math.Min(2000, driver.FindElement(By.TagName("body")).Text.Length)]);
}

static int FreePort()
{
    var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}
