using System.Text.Json;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile checked as text (deploy/test-image.sh builds and runs it): the properties the manifests and the
/// documentation rely on.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly string File = Path.Combine(Kustomize.RepositoryRoot, "deploy", "Dockerfile");

    /// <summary>Instructions with continuation lines joined and comments dropped, split into stages at each FROM.</summary>
    private static readonly List<List<(string Op, string Args)>> Stages = Parse();

    private static List<(string Op, string Args)> Final => Stages[^1];

    private static string Last(string op) => Final.Last(i => i.Op == op).Args;

    [Fact]
    public void The_runtime_is_Debian_12_slim_with_Debians_ffmpeg()
    {
        Assert.Matches(@"^debian:(12|bookworm)-slim\b", Last("FROM"));
        var installs = Final.Where(i => i.Op == "RUN" && i.Args.Contains("apt-get install")).Select(i => i.Args).ToList();
        Assert.Contains(installs, run => Regex.IsMatch(run, @"\bffmpeg\b") && run.Contains("--no-install-recommends"));
        // The package lists are not left in the image.
        Assert.Contains(installs, run => run.Contains("rm -rf /var/lib/apt/lists"));
    }

    [Fact]
    public void The_app_is_published_by_the_SDK_and_run_by_the_ASPNET_Core_runtime()
    {
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", Stages[0][0].Args.Replace("${DOTNET_VERSION}", "10.0"));
        Assert.Contains(Stages[0], i => i.Op == "RUN" && i.Args.Contains("dotnet publish src/Vexaa.Cli/Vexaa.Cli.csproj") && i.Args.Contains("-o /app"));
        Assert.Contains(Stages, s => s[0].Args.StartsWith("mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal));
        Assert.Contains(Final, i => i.Op == "COPY" && i.Args.Contains("/usr/share/dotnet"));
        Assert.Contains(Final, i => i.Op == "COPY" && i.Args.EndsWith("/app /app", StringComparison.Ordinal));
        // Every file the build stage copies from the context exists, so the build cannot fail on a renamed project.
        foreach (var copy in Stages[0].Where(i => i.Op == "COPY" && !i.Args.StartsWith("--from", StringComparison.Ordinal)))
        {
            var sources = copy.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1];
            Assert.All(sources, s => Assert.True(Path.Exists(Path.Combine(Kustomize.RepositoryRoot, s)), $"COPY {s}: not in the repository"));
        }
    }

    [Fact]
    public void The_entrypoint_runs_the_CLI_and_the_default_command_serves_on_all_interfaces()
    {
        Assert.Equal(["dotnet", "/app/Vexaa.Cli.dll"], JsonSerializer.Deserialize<string[]>(Last("ENTRYPOINT"))!);
        Assert.Equal(["serve", "--urls", "http://0.0.0.0:8080", "--data", "/data"], JsonSerializer.Deserialize<string[]>(Last("CMD"))!);
    }

    [Fact]
    public void It_runs_as_a_numeric_non_root_user_with_all_writes_under_data_and_tmp()
    {
        // Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
        var user = Regex.Match(Last("USER"), @"^(\d+)(:(\d+))?$");
        Assert.True(user.Success && int.Parse(user.Groups[1].Value) > 0, $"USER {Last("USER")}");
        Assert.Contains("\"/data\"", Last("VOLUME"));
        var environment = string.Join(' ', Final.Where(i => i.Op == "ENV").Select(i => i.Args));
        Assert.Contains("Vexaa__DataDirectory=/data", environment);
        Assert.Contains("HOME=/tmp", environment);
        Assert.Contains("TMPDIR=/tmp", environment);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_user_is_the_one_the_manifests_run_VExAA_as()
    {
        var user = int.Parse(Last("USER").Split(':')[0]);
        var m = await Kustomize.RenderAsync(Kustomize.Production);

        Assert.All(m.Workloads.Where(w => w.Containers.Any(Manifests.IsVexaa)), w => Assert.Equal(user, w.Template.Spec.SecurityContext.RunAsUser));
    }

    [Fact]
    public void The_healthcheck_asks_healthz_with_a_tool_the_image_has()
    {
        var check = Last("HEALTHCHECK");
        Assert.Contains("/healthz", check);
        // aspnet and debian-slim images have no curl or wget; bash and its /dev/tcp are there.
        var installed = string.Join(' ', Final.Where(i => i.Op == "RUN").Select(i => i.Args));
        Assert.True(!Regex.IsMatch(check, @"\b(curl|wget)\b") || Regex.IsMatch(installed, @"install[^&]*\b(curl|wget)\b"), check);
    }

    [Fact(Timeout = 60_000)]
    public async Task Exposed_ports_are_the_ones_the_manifests_use()
    {
        var exposed = Last("EXPOSE").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p.Split('/')[0])).ToHashSet();
        Assert.Contains(new Uri(JsonSerializer.Deserialize<string[]>(Last("CMD"))![2]).Port, exposed);
        foreach (var overlay in new[] { Kustomize.Minikube, Kustomize.Production })
        {
            var m = await Kustomize.RenderAsync(overlay);
            var used = m.Workloads.SelectMany(w => w.Containers).Where(Manifests.IsVexaa).SelectMany(c => c.Ports ?? []).Select(p => p.ContainerPort);
            Assert.All(used, port => Assert.Contains(port, exposed));
            Assert.All(m.Workloads.SelectMany(w => w.Containers).Where(Manifests.IsVexaa), c => Assert.Contains(ManifestWiringTests.ListenPort(c), exposed));
        }
    }

    [Fact]
    public void No_syntax_line_makes_BuildKit_fetch_a_frontend_from_Docker_Hub()
    {
        Assert.DoesNotMatch(@"(?im)^\s*#\s*syntax\s*=", System.IO.File.ReadAllText(File));
    }

    [Fact]
    public void The_app_is_published_for_the_target_platform_without_symbols_or_translations()
    {
        var build = string.Join('\n', Stages[0].Select(i => $"{i.Op} {i.Args}"));
        Assert.Contains("ARG TARGETARCH", build);
        Assert.Contains("amd64) echo linux-x64", build);
        Assert.Contains("arm64) echo linux-arm64", build);
        var publish = Stages[0].Single(i => i.Op == "RUN" && i.Args.Contains("dotnet publish", StringComparison.Ordinal)).Args;
        Assert.Contains("-r \"$(cat /rid)\"", publish);
        Assert.Contains("-p:DebugType=none", publish);
        Assert.Contains("-p:SatelliteResourceLanguages=en", publish);
        Assert.Contains(Stages[0], i => i.Op == "RUN" && i.Args.Contains("dotnet restore", StringComparison.Ordinal) && i.Args.Contains("-r \"$(cat /rid)\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_vexaa_command_is_on_the_PATH_for_docker_exec()
    {
        var run = string.Join(' ', Final.Where(i => i.Op == "RUN").Select(i => i.Args));
        Assert.Contains("/usr/local/bin/vexaa", run);
        Assert.Contains("exec /usr/share/dotnet/dotnet /app/Vexaa.Cli.dll \"$@\"", run);
    }

    [Fact]
    public void Running_jobs_are_released_before_the_engines_default_10_second_stop_timeout()
    {
        var environment = string.Join(' ', Final.Where(i => i.Op == "ENV").Select(i => i.Args));
        var grace = double.Parse(Regex.Match(environment, @"Vexaa__Workers__ShutdownGraceSeconds=([\d.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        // The grace, then stopping ffmpeg and releasing the lease (well under a second) must fit in docker stop's 10 s.
        Assert.InRange(grace, 1, 7);
        Assert.Equal("SIGTERM", Last("STOPSIGNAL"));
    }

    [Fact]
    public void The_build_context_leaves_out_builds_tests_and_git()
    {
        var ignored = System.IO.File.ReadAllLines(Path.Combine(Kustomize.RepositoryRoot, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
        Assert.Contains("tests/", ignored);
        // What the build copies must stay in the context.
        Assert.DoesNotContain(ignored, l => l.TrimEnd('/') is "src" or "*" or "**" || l.EndsWith(".props", StringComparison.Ordinal));
    }

    private static List<List<(string Op, string Args)>> Parse()
    {
        var text = Regex.Replace(System.IO.File.ReadAllText(File), @"^\s*#.*\n", "", RegexOptions.Multiline);
        text = Regex.Replace(text, @"\\\n\s*", " ");
        var stages = new List<List<(string, string)>>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var op = line.Split(' ', 2)[0].ToUpperInvariant();
            var args = line.Length > op.Length ? line[(op.Length + 1)..].Trim() : "";
            if (op == "FROM")
            {
                stages.Add([]);
            }

            if (stages.Count > 0)
            {
                stages[^1].Add((op, args));
            }
        }

        return stages;
    }
}
