using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Hardening;

/// <summary>Sessions end on the server: sign-out, a new password and disabling a user refuse every copy of the cookie.</summary>
public sealed class SessionEndTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(workers: 0);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private HttpClient Browser(CookieContainer? cookies = null) => Api.CookieClient(_server.BaseAddress, cookies);

    /// <summary>A user made by an administrator, with the password the server generated.</summary>
    private async Task<string> NewUserAsync(string name)
    {
        using var admin = _server.Client(_server.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new { name, admin = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await Api.JsonAsync(created)).GetProperty("password").GetString()!;
    }

    private static CookieContainer Copy(CookieContainer from, Uri address)
    {
        var copy = new CookieContainer();
        foreach (Cookie c in from.GetCookies(address))
        {
            copy.Add(address, new Cookie(c.Name, c.Value));
        }

        return copy;
    }

    [Fact(Timeout = 60_000)]
    public async Task Signing_out_ends_every_copy_of_the_session_cookie()
    {
        var cookies = new CookieContainer();
        using var tab = Browser(cookies);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(tab, "admin", _server.AdminPassword)).StatusCode);
        using var stolen = Browser(Copy(cookies, _server.BaseAddress));
        Assert.Equal(HttpStatusCode.OK, (await stolen.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await tab.DeleteAsync("/api/v1/session")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await stolen.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_password_from_the_command_line_ends_every_session()
    {
        var password = await NewUserAsync("carol");
        using var session = Browser();
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(session, "carol", password)).StatusCode);

        var r = await _server.RunCliAsync("users", "set-password", "carol");
        Assert.True(r.ExitCode == 0, r.Stderr);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/me")).StatusCode);
        using var again = Browser();
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(again, "carol", r.Stdout.Trim())).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Changing_the_password_through_the_api_ends_other_sessions_and_keeps_this_one()
    {
        var password = await NewUserAsync("dave");
        using var here = Browser();
        using var elsewhere = Browser();
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(here, "dave", password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(elsewhere, "dave", password)).StatusCode);

        using var wrong = await here.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "not it", newPassword = "a new long password" });
        Assert.Equal((401, "invalid-credentials"), await Api.ProblemAsync(wrong));
        using var changed = await here.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = password, newPassword = "a new long password" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(Browser(), "dave", password)).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Disabling_a_user_ends_their_sessions_and_keys_until_enabled_again()
    {
        var password = await NewUserAsync("erin");
        using var admin = _server.Client(_server.AdminKey);
        using var keyed = await admin.PostAsJsonAsync("/api/v1/admin/users/erin/keys", new { label = "t" });
        using var erinKey = _server.Client((await Api.JsonAsync(keyed)).GetProperty("key").GetString());
        using var session = Browser();
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(session, "erin", password)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/v1/admin/users/erin", new { disabled = true })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await erinKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(Browser(), "erin", password)).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/users");
        Assert.True(listed.EnumerateArray().Single(u => u.GetProperty("name").GetString() == "erin").GetProperty("disabled").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsJsonAsync("/api/v1/admin/users/erin", new { disabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await erinKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync("/api/v1/admin/users/nobody", new { disabled = true })).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Disabling_a_user_from_the_command_line_ends_their_session()
    {
        var password = await NewUserAsync("frank");
        using var session = Browser();
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(session, "frank", password)).StatusCode);

        var r = await _server.RunCliAsync("users", "disable", "frank");
        Assert.True(r.ExitCode == 0, r.Stderr);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(3, (await _server.RunCliAsync("users", "disable", "nobody")).ExitCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task User_names_are_unique_whatever_their_letter_case()
    {
        await NewUserAsync("bob");
        using var admin = _server.Client(_server.AdminKey);
        using var upper = await admin.PostAsJsonAsync("/api/v1/admin/users", new { name = "BOB", admin = false });
        Assert.Equal((409, "conflict"), await Api.ProblemAsync(upper));
        Assert.Equal(4, (await _server.RunCliAsync("users", "create", "Bob")).ExitCode);
    }
}
