using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>Self-service keys and password, and what administrators do to people and their keys, over HTTP.</summary>
[Collection(MediaCollection.Name)]
public sealed class AccountAdminApiTests(TestMedia media, SharedServer shared) : IClassFixture<SharedServer>
{
    // One server for the class: each test makes its own people, uploads and jobs.
    private readonly ServerProcess _server = shared.Server;

    private async Task<(string Name, string Password)> NewPersonAsync(HttpClient admin, string name, bool isAdmin = false)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/users", new { name, admin = isAdmin });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (name, (await Api.JsonAsync(created)).GetProperty("password").GetString()!);
    }

    private async Task<HttpClient> SignedInAsync(string name, string password)
    {
        var client = Api.CookieClient(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(client, name, password)).StatusCode);
        return client;
    }

    [Fact(Timeout = 120_000)]
    public async Task Members_create_name_and_revoke_their_own_keys_and_cannot_touch_anothers()
    {
        using var admin = _server.Client(_server.AdminKey);
        var (name, password) = await NewPersonAsync(admin, "piet");
        using var piet = await SignedInAsync(name, password);

        using var created = await piet.PostAsJsonAsync("/api/v1/me/keys", new { label = "laptop" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await Api.JsonAsync(created);
        var secret = key.GetProperty("key").GetString()!;
        var keyId = key.GetProperty("id").GetString()!;
        using var byKey = _server.Client(secret);
        Assert.Equal("piet", (await byKey.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());

        var listed = await piet.GetStringAsync("/api/v1/me/keys");
        Assert.Contains("\"laptop\"", listed);
        Assert.Contains(secret[..10], listed);
        Assert.DoesNotContain(secret, listed);

        Assert.Equal(HttpStatusCode.NoContent, (await piet.PatchAsJsonAsync($"/api/v1/me/keys/{keyId}", new { label = "old laptop" })).StatusCode);
        Assert.Contains("\"old laptop\"", await piet.GetStringAsync("/api/v1/me/keys"));
        Assert.Equal((400, "invalid-request"), await Api.ProblemAsync(await piet.PatchAsJsonAsync($"/api/v1/me/keys/{keyId}", new { label = new string('x', 101) })));

        // The admin's own key, seen from piet: unknown.
        var adminKeyId = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/me/keys"))[0].GetProperty("id").GetString()!;
        Assert.Equal((404, "not-found"), await Api.ProblemAsync(await piet.DeleteAsync($"/api/v1/me/keys/{adminKeyId}")));
        Assert.Equal((404, "not-found"), await Api.ProblemAsync(await piet.PatchAsJsonAsync($"/api/v1/me/keys/{adminKeyId}", new { label = "mine" })));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await piet.DeleteAsync($"/api/v1/me/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await piet.GetAsync("/api/v1/admin/users")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_member_changes_their_password_only_with_the_current_one()
    {
        using var admin = _server.Client(_server.AdminKey);
        var (name, password) = await NewPersonAsync(admin, "ines");
        using var ines = await SignedInAsync(name, password);

        Assert.Equal((401, "invalid-credentials"), await Api.ProblemAsync(await ines.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "wrong", newPassword = "a-new-long-password" })));
        Assert.Equal((400, "invalid-request"), await Api.ProblemAsync(await ines.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = password, newPassword = "short" })));
        Assert.Equal(HttpStatusCode.NoContent, (await ines.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = password, newPassword = "a-new-long-password" })).StatusCode);

        using var fresh = Api.CookieClient(_server.BaseAddress);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(fresh, name, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(fresh, name, "a-new-long-password")).StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task An_admin_disables_enables_promotes_and_resets_a_person_but_cannot_lock_themselves_out()
    {
        using var admin = _server.Client(_server.AdminKey);
        var (name, password) = await NewPersonAsync(admin, "karl");
        using var session = await SignedInAsync(name, password);
        using var keyCreated = await admin.PostAsJsonAsync($"/api/v1/admin/users/{name}/keys", new { label = "ci" });
        using var byKey = _server.Client((await Api.JsonAsync(keyCreated)).GetProperty("key").GetString()!);

        using var disabled = await admin.PatchAsJsonAsync($"/api/v1/admin/users/{name}", new { disabled = true });
        Assert.True((await Api.JsonAsync(disabled)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await byKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/me")).StatusCode);
        using var refused = Api.CookieClient(_server.BaseAddress);
        // A disabled account signs in no more than an unknown one (the hardening tests hold the same).
        Assert.Equal((401, "invalid-credentials"), await Api.ProblemAsync(await Api.SignInAsync(refused, name, password)));

        await admin.PatchAsJsonAsync($"/api/v1/admin/users/{name}", new { disabled = false, isAdmin = true });
        Assert.Equal(HttpStatusCode.OK, (await byKey.GetAsync("/api/v1/admin/users")).StatusCode);

        using var reset = await admin.PostAsync($"/api/v1/admin/users/{name}/password", null);
        var newPassword = (await Api.JsonAsync(reset)).GetProperty("password").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(Api.CookieClient(_server.BaseAddress), name, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(Api.CookieClient(_server.BaseAddress), name, newPassword)).StatusCode);

        Assert.Equal((409, "self-lockout"), await Api.ProblemAsync(await admin.PatchAsJsonAsync("/api/v1/admin/users/admin", new { isAdmin = false })));
        Assert.Equal((409, "self-lockout"), await Api.ProblemAsync(await admin.DeleteAsync("/api/v1/admin/users/admin")));
        Assert.Equal((404, "not-found"), await Api.ProblemAsync(await admin.PatchAsJsonAsync("/api/v1/admin/users/nobody", new { disabled = true })));

        // Keys of another person: listed without secrets, renamed, revoked.
        var keys = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/admin/users/{name}/keys");
        var keyId = keys[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{name}/keys/{keyId}", new { label = "build server" })).StatusCode);
        Assert.Contains("build server", await admin.GetStringAsync($"/api/v1/admin/users/{name}/keys"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/users/{name}/keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byKey.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal((404, "not-found"), await Api.ProblemAsync(await admin.DeleteAsync($"/api/v1/admin/users/admin/keys/{keyId}")));
    }

    [Fact(Timeout = 120_000)]
    public async Task Deleting_a_person_takes_their_jobs_files_and_keys_with_them()
    {
        using var admin = _server.Client(_server.AdminKey);
        var secret = await _server.CreateUserKeyAsync("tove");
        using var tove = _server.Client(secret);
        var id = await Api.SubmitOkAsync(tove, media["good-h264-aac.mp4"]);
        Assert.Equal("succeeded", (await Api.WaitAsync(tove, id)).Status());
        var folder = Path.Combine(_server.DataDirectory, "files", "jobs", id);
        Assert.True(Directory.Exists(folder));
        var mine = await Api.SubmitOkAsync(admin, media["good-h264-aac.mp4"]);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/admin/users/tove")).StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.Unauthorized, (await tove.GetAsync("/api/v1/me")).StatusCode);
        Assert.DoesNotContain("\"tove\"", await admin.GetStringAsync("/api/v1/admin/users"));
        Assert.Equal((404, "not-found"), await Api.ProblemAsync(await admin.DeleteAsync("/api/v1/admin/users/tove")));
        Assert.Equal("succeeded", (await Api.WaitAsync(admin, mine)).Status());
    }
}
