using System.Net;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>Signing out on one API replica ends the session on the others (they share only the database).</summary>
[Collection(MariaDbCollection.Name)]
public sealed class SessionReplicaTests(MariaDbServer mariadb)
{
    [Fact(Timeout = 180_000)]
    public async Task Signing_out_on_one_replica_ends_the_session_on_another()
    {
        var settings = await mariadb.ServerSettingsAsync();
        var data = Path.Combine(Path.GetTempPath(), "vexaa-replicas-" + Guid.NewGuid().ToString("N")[..8]);
        await using var a = await ServerProcess.StartAsync(0, settings, data);
        await using var b = await ServerProcess.StartAsync(0, settings, data);
        var cookies = new CookieContainer();
        using var onA = Api.CookieClient(a.BaseAddress, cookies);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(onA, "admin", a.AdminPassword)).StatusCode);
        var copy = new CookieContainer();
        foreach (Cookie c in cookies.GetCookies(a.BaseAddress))
        {
            copy.Add(b.BaseAddress, new Cookie(c.Name, c.Value));
        }

        using var onB = Api.CookieClient(b.BaseAddress, copy);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await onA.DeleteAsync("/api/v1/session")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onB.GetAsync("/api/v1/me")).StatusCode);
    }
}
