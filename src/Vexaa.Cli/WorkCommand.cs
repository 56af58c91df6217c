using System.CommandLine;
using Vexaa.Server;

namespace Vexaa.Cli;

/// <summary><c>vexaa work</c>: workers only, for scaling conversion apart from the API (any number, on a shared database and storage).</summary>
internal static class WorkCommand
{
    public static Command Create()
    {
        var healthUrls = new Option<string?>("--health-urls") { Description = $"Where /healthz, /readyz and /metrics answer (default {VexaaServer.DefaultWorkerUrls})." };
        var workers = new Option<int?>("--workers", "-w") { Description = "Workers in this process (default: one per core)." };
        var command = new Command("work", "Run only the background workers: claim jobs from the database and convert them.") { ServeCommand.Data, healthUrls, workers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(ServeCommand.Data) is { } data) settings["Vexaa:DataDirectory"] = data;
            if (parse.GetValue(healthUrls) is { } u) settings["urls"] = u;
            if (parse.GetValue(workers) is { } w) settings["Vexaa:Workers:Count"] = w.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await HostErrors.RunAsync(async () =>
            {
                var app = VexaaServer.Build(settings, workerOnly: true);
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
