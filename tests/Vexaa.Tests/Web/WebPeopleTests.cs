using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Web;

/// <summary>
/// People and keys in a real Chromium: what an administrator does for others (role, disabling, a new password, keys,
/// deleting) and what every member does for themselves (password, own keys), checked against what the API then says.
/// </summary>
public sealed class WebPeopleTests : BrowserTest
{
    private IWebElement Shown(string css, string what) =>
        Page.WaitFor(() => Page.FindAll(css).FirstOrDefault(e => e.Displayed && e.Enabled), what);

    private string ActiveId() => (string)Page.Js("return document.activeElement.id || document.activeElement.className || document.activeElement.tagName")!;

    private void Twice(string css, string what)
    {
        // Buttons that cannot be undone ask for a second press.
        Shown(css, what).Click();
        Page.WaitFor(() => Page.Find(css).GetAttribute("class")!.Contains("armed", StringComparison.Ordinal), what + " asking again");
        Page.Find(css).Click();
    }

    private async Task<JsonElement> PersonAsync(HttpClient api, string name) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/v1/admin/users")).EnumerateArray().Single(u => u.GetProperty("name").GetString() == name);

    [Fact(Timeout = 240_000)]
    public async Task An_admin_manages_a_person_from_role_to_keys_to_deletion()
    {
        using var api = Server.Client(Server.AdminKey);
        Page.SignIn("admin", Server.AdminPassword);
        Page.Open("/#/admin");
        Page.WaitFor(() => Page.FindAll("#user-rows tr").Count == 1, "the list of people");
        Page.Find("#new-user-name").SendKeys("bea");
        Page.Find("#new-user-form button[type=submit]").Click();
        var password = Page.WaitFor(() => Page.FindAll("#admin-secrets .secret-value").FirstOrDefault()?.Text, "bea's password");
        Assert.True((bool)Page.Js("return document.activeElement.closest('#admin-secrets .secret') !== null && document.activeElement.textContent === 'Copy'")!, "focus on the new password's Copy button");

        Shown("#user-rows tr[data-name='bea'] button.manage", "Manage bea").Click();
        Page.WaitFor(() => ActiveId() == "person-heading", "focus on bea's panel");
        Assert.Equal("true", Page.Find("#user-rows tr[data-name='bea'] button.manage").GetAttribute("aria-expanded"));
        Assert.DoesNotContain("null", Page.Find("#person-panel").Text, StringComparison.Ordinal);

        // Role: member → administrator, as the API sees it.
        Shown("#person-panel .person-actions button", "the role button").Click();
        Page.WaitFor(() => Page.Find("#person-heading").Text.Contains("Administrator", StringComparison.Ordinal), "bea an administrator");
        Assert.True((await PersonAsync(api, "bea")).GetProperty("isAdmin").GetBoolean());
        Assert.Equal("person-heading", ActiveId());
        Shown("#person-panel .person-actions button", "the role button").Click();
        Page.WaitFor(() => Page.Find("#person-heading").Text.Contains("Member", StringComparison.Ordinal), "bea a member again");

        // A key with a name, renamed, then revoked: the API refuses it afterwards.
        var label = Shown("#person-keys input[name=label]", "the key name field");
        label.SendKeys("backup script");
        label.SendKeys(Keys.Enter);
        var key = Page.WaitFor(() => Page.FindAll("#admin-secrets .secret-value").Select(e => e.Text).FirstOrDefault(t => t.StartsWith("vx_", StringComparison.Ordinal)), "the new key");
        Assert.Equal(2, Page.FindAll("#admin-secrets .secret").Count);
        using var beaKey = Server.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await beaKey.GetAsync("/api/v1/me")).StatusCode);
        Page.WaitFor(() => Page.FindAll("#person-keys tbody tr").Count == 1, "the key in bea's list");
        Assert.Contains("backup script", Page.Find("#person-keys tbody tr").Text, StringComparison.Ordinal);
        Shown("#person-keys button.rename", "Rename").Click();
        var rename = Page.Driver.SwitchTo().ActiveElement();
        rename.SendKeys(Keys.Control + "a");
        rename.SendKeys("nightly" + Keys.Enter);
        Page.WaitFor(() => Page.FindAll("#person-keys tbody th").FirstOrDefault()?.Text == "nightly", "the renamed key");
        var keys = await api.GetFromJsonAsync<JsonElement>("/api/v1/admin/users/bea/keys");
        Assert.Equal("nightly", keys.EnumerateArray().Single().GetProperty("label").GetString());
        Page.Screenshot("20-admin-person");
        Twice("#person-keys button.revoke", "Revoke");
        Page.WaitFor(() => Page.FindAll("#person-keys .empty-keys").Count == 1, "no keys left");
        Assert.Equal(HttpStatusCode.Unauthorized, (await beaKey.GetAsync("/api/v1/me")).StatusCode);

        // Disabled: bea cannot sign in; enabled again: she can.
        Shown("#person-panel .person-actions button:nth-child(2)", "Disable").Click();
        Page.WaitFor(() => Page.Find("#user-rows tr[data-name='bea']").Text.Contains("Disabled", StringComparison.Ordinal), "bea disabled in the list");
        Assert.True((await PersonAsync(api, "bea")).GetProperty("disabled").GetBoolean());
        using (var browserlike = Api.CookieClient(Server.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(browserlike, "bea", password)).StatusCode);
        }

        Shown("#person-panel .person-actions button:nth-child(2)", "Enable").Click();
        Page.WaitFor(() => !Page.Find("#user-rows tr[data-name='bea']").Text.Contains("Disabled", StringComparison.Ordinal), "bea enabled");

        // A new password: the old one stops, the new one works.
        Twice("#person-panel button.reset-password", "New password");
        var fresh = Page.WaitFor(() => Page.FindAll("#admin-secrets .secret-label").FirstOrDefault(l => l.Text.Contains("new password", StringComparison.Ordinal)) is not null
            ? Page.FindAll("#admin-secrets .secret-value")[0].Text : null, "bea's new password");
        Assert.NotEqual(password, fresh);
        using (var browserlike = Api.CookieClient(Server.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Api.SignInAsync(browserlike, "bea", password)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(browserlike, "bea", fresh)).StatusCode);
        }

        // Saved secrets are dismissed one by one.
        var secrets = Page.FindAll("#admin-secrets .secret").Count;
        Page.FindAll("#admin-secrets .secret")[0].FindElements(By.CssSelector("button"))[1].Click();
        Page.WaitFor(() => Page.FindAll("#admin-secrets .secret").Count == secrets - 1, "one secret dismissed");

        // The admin's own row offers nothing that would lock them out.
        Shown("#user-rows tr[data-name='admin'] button.manage", "Manage admin").Click();
        Page.WaitFor(() => Page.Find("#person-heading").Text.StartsWith("admin", StringComparison.Ordinal), "admin's panel");
        Assert.Contains("This is you", Page.Find("#person-panel").Text, StringComparison.Ordinal);
        Assert.All(Page.FindAll("#person-panel .person-actions button").Where(b => !b.GetAttribute("class")!.Contains("reset-password", StringComparison.Ordinal)), b => Assert.False(b.Enabled));

        // Deleted, with her jobs: gone from the list and from the API.
        Shown("#user-rows tr[data-name='bea'] button.manage", "Manage bea").Click();
        Page.WaitFor(() => Page.Find("#person-heading").Text.StartsWith("bea", StringComparison.Ordinal), "bea's panel again");
        Twice("#person-panel button.delete-person", "Delete bea");
        Page.WaitFor(() => Page.FindAll("#user-rows tr").Count == 1, "bea gone from the list");
        Assert.True(Page.Find("#person-panel").GetAttribute("hidden") is not null);
        Assert.Equal("admin-heading", ActiveId());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/admin/users/bea/keys")).StatusCode);
        Assert.Empty(Page.ConsoleErrors());
    }

    [Fact(Timeout = 240_000)]
    public async Task A_member_changes_their_password_and_makes_their_own_keys_and_it_all_fits_a_phone()
    {
        using var api = Server.Client(Server.AdminKey);
        using var created = await api.PostAsJsonAsync("/api/v1/admin/users", new { name = "cai" });
        var password = (await Api.JsonAsync(created)).GetProperty("password").GetString()!;
        using var phone = Browser.Start(Server.BaseAddress, 390, 844);
        phone.SignIn("cai", password);
        Assert.False(phone.Find("#nav-admin").Displayed);
        phone.Find("#nav-account").Click();
        phone.WaitFor(() => phone.Find("#account-view").Displayed, "the account page");
        Assert.Equal("Your account — VExAA", phone.Driver.Title);
        Assert.Equal("password-heading", (string)phone.Js("return document.activeElement.id")!);

        // Mistakes are caught on the page, marked on the field, and a wrong current password does not sign anyone out.
        phone.Find("#current-password").SendKeys("wrong password!");
        phone.Find("#new-password").SendKeys("short");
        phone.Find("#password-form button[type=submit]").Click();
        phone.WaitFor(() => phone.Find("#password-error").Displayed, "the error");
        Assert.Equal("true", phone.Find("#new-password").GetAttribute("aria-invalid"));
        Assert.Equal("new-password", (string)phone.Js("return document.activeElement.id")!);
        phone.Find("#new-password").Clear();
        phone.Find("#new-password").SendKeys("a much longer password");
        phone.Find("#repeat-password").SendKeys("a much longer password");
        phone.Find("#password-form button[type=submit]").Click();
        phone.WaitFor(() => phone.Find("#password-error").Text.Contains("current password", StringComparison.Ordinal), "the wrong current password");
        Assert.True(phone.Find("#account-view").Displayed);
        Assert.Equal("true", phone.Find("#current-password").GetAttribute("aria-invalid"));

        using var otherSession = Api.CookieClient(Server.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(otherSession, "cai", password)).StatusCode);
        phone.Find("#current-password").Clear();
        phone.Find("#current-password").SendKeys(password);
        phone.Find("#new-password").Clear();
        phone.Find("#new-password").SendKeys("a much longer password");
        phone.Find("#repeat-password").Clear();
        phone.Find("#repeat-password").SendKeys("a much longer password");
        phone.Find("#password-form button[type=submit]").Click();
        phone.WaitFor(() => phone.Find("#password-done").Displayed, "the password changed");
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherSession.GetAsync("/api/v1/me")).StatusCode);
        using (var again = Api.CookieClient(Server.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.OK, (await Api.SignInAsync(again, "cai", "a much longer password")).StatusCode);
        }

        // Own keys: made with a name, shown once, working, then revoked.
        var label = phone.WaitFor(() => phone.FindAll("#my-keys input[name=label]").FirstOrDefault(e => e.Displayed), "the key name field");
        label.SendKeys("phone");
        phone.Find("#my-keys form button[type=submit]").Click();
        var key = phone.WaitFor(() => phone.FindAll("#account-secrets .secret-value").FirstOrDefault()?.Text, "the new key");
        using (var keyed = Server.Client(key))
        {
            Assert.Equal("cai", (await keyed.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("name").GetString());
            phone.WaitFor(() => phone.FindAll("#my-keys tbody tr").Count == 1, "the key listed");
            phone.Screenshot("21-phone-account");
            Assert.True((bool)phone.Js("return document.documentElement.scrollWidth <= window.innerWidth")!, "the account page scrolls sideways on a phone");
            phone.Find("#my-keys button.revoke").Click();
            phone.Find("#my-keys button.revoke").Click();
            phone.WaitFor(() => phone.FindAll("#my-keys .empty-keys").Count == 1, "no keys left");
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyed.GetAsync("/api/v1/me")).StatusCode);
        }

        Assert.Empty(phone.ConsoleErrors());

        // The administrator's pages on the same phone: nothing cut off, nothing scrolling sideways.
        phone.SignOut();
        phone.SignIn("admin", Server.AdminPassword);
        phone.Open("/#/admin");
        phone.WaitFor(() => phone.FindAll("#user-rows tr").Count == 2, "the people");
        phone.Find("#user-rows tr[data-name='cai'] button.manage").Click();
        phone.WaitFor(() => phone.FindAll("#person-keys form").Count == 1, "cai's panel");
        phone.Screenshot("22-phone-people");
        Assert.True((bool)phone.Js("return document.documentElement.scrollWidth <= window.innerWidth")!, "People & keys scrolls sideways on a phone");
        var cut = (IReadOnlyCollection<object>)phone.Js("""
            return [...document.querySelectorAll('#admin-view button, #admin-view input')].filter(e => e.offsetParent)
              .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; }).map(e => e.outerHTML.slice(0, 80));
            """)!;
        Assert.Empty(cut);
    }
}
