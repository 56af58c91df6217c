using System.CommandLine;
using Microsoft.Extensions.Options;
using Vexaa.Server;

namespace Vexaa.Cli;

/// <summary><c>vexaa serve</c>: the HTTP API with in-process workers, on embedded defaults unless configured.</summary>
internal static class ServeCommand
{
    public static readonly Option<string?> Data = new("--data", "-d") { Description = "Data folder for the embedded database and stored files (default ./data)." };

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {VexaaServer.DefaultUrls})." };
        var workers = new Option<int?>("--workers", "-w") { Description = "In-process workers (default: one per core; 0: API only)." };
        var command = new Command("serve", "Run the VExAA server: HTTP API, API reference at /docs, background workers.") { Data, urls, workers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(Data) is { } data) settings["Vexaa:DataDirectory"] = data;
            if (parse.GetValue(urls) is { } u) settings["urls"] = u;
            if (parse.GetValue(workers) is { } w) settings["Vexaa:Workers:Count"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await HostErrors.RunAsync(async () =>
            {
                var app = VexaaServer.Build(settings);
                await using (app)
                {
                    using var stop = cancellationToken.Register(() => app.Lifetime.StopApplication());
                    return await VexaaServer.RunAsync(app, Console.Out, cancellationToken);
                }
            });
        });
        return command;
    }
}

/// <summary>Start-up failures a person can fix (a wrong setting, a busy port or data folder) as one line, not a stack trace.</summary>
internal static class HostErrors
{
    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                await Console.Error.WriteLineAsync($"vexaa: setting: {failure}");
            }

            return 2;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("VExAA", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"vexaa: {e.Message}");
            return 2;
        }
        catch (IOException e) when (e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"vexaa: cannot listen: {e.Message}");
            return 2;
        }
        catch (Vexaa.Media.MediaException e)
        {
            return CliOutput.Fail(e);
        }
    }
}
