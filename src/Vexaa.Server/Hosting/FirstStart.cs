using Microsoft.Extensions.Logging;

namespace Vexaa.Server.Hosting;

/// <summary>
/// What a first start tells the person who started it: the new admin's password and API key, and how to get in.
/// On a laptop (<c>./run.sh</c>) they are printed to the terminal, once. In a container, stdout is a log that a cluster
/// ships to a log store and keeps, so there they are written once to a file in the data folder that only the service
/// user can read, and the log says where it is.
/// </summary>
public static class FirstStart
{
    public const string CredentialsFileName = "first-start-credentials.txt";

    /// <summary>Set by VExAA's image (and Microsoft's .NET images): the process runs in a container.</summary>
    public static bool InContainer => Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") == "true";

    public static async Task ReportAsync(
        (string Password, string ApiKey) admin, string dataDirectory, bool inContainer, TextWriter console, ILogger logger, CancellationToken cancellationToken)
    {
        var credentials = $"""
              user:     admin
              password: {admin.Password}
              API key:  {admin.ApiKey}
            """;
        if (!inContainer)
        {
            // Printed to the console, never to the logs: this is the only time these secrets are shown.
            await console.WriteLineAsync($"""

                First start: created the user 'admin'. Sign in on the web page with:
                {credentials}
                Keep them now; they are not shown again. (A new password later: ./vexaa users set-password admin)

                """);
            return;
        }

        var path = Path.Combine(Path.GetFullPath(dataDirectory), CredentialsFileName);
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = ownerOnly;
        }

        await using (var writer = new StreamWriter(path, System.Text.Encoding.UTF8, file))
        {
            await writer.WriteLineAsync($"VExAA first start: the user 'admin' and its first API key. Delete this file once you have kept them.\n{credentials}".AsMemory(), cancellationToken);
        }

        // UnixCreateMode applies only to a new file; one left by an earlier database on the same volume is narrowed too.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, ownerOnly);
        }

        var host = Environment.MachineName;
        logger.LogWarning(
            "First start: created the user 'admin'. Its password and an API key are in {Path} in this container ({Host}), readable by the service user only: " +
            "docker exec {Host} cat {Path} (Kubernetes: kubectl exec {Host} -- cat {Path}). Delete the file once you have kept them; " +
            "a new password later: docker exec {Host} vexaa users set-password admin",
            path, host, host, path, host, path, host);
    }

    /// <summary>An address a person can open: a wildcard listen address (0.0.0.0, [::], *, +) becomes localhost.</summary>
    public static string Browsable(string address)
    {
        if (!Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return address;
        }

        return uri.Host is "0.0.0.0" or "[::]" or "::"
            ? new UriBuilder(uri) { Host = "localhost" }.Uri.GetLeftPart(UriPartial.Authority)
            : address;
    }

    /// <summary>The line that says the API is up and where to open it.</summary>
    public static string RunningLine(string address, int workers, bool inContainer)
    {
        var open = Browsable(address);
        if (!inContainer)
        {
            return $"VExAA is running: open {open} in a browser (API reference: {open}/docs); {workers} worker(s)";
        }

        // Inside a container no address of its own is one the reader can open: name the port to publish instead.
        var port = Uri.TryCreate(open, UriKind.Absolute, out var uri) ? uri.Port : 8080;
        return $"VExAA is running on {address} in this container, {workers} worker(s): publish the port (docker run -p {port}:{port}) " +
            $"and open http://localhost:{port} (API reference: /docs)";
    }
}
