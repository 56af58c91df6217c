using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vexaa.Auth;
using Vexaa.Data;
using Vexaa.Server.Hosting;

namespace Vexaa.Cli;

/// <summary><c>vexaa keys ...</c> and <c>vexaa users ...</c>: manage accounts directly in the database (the server may be running).</summary>
internal static class AdminCommands
{
    public static Command Keys()
    {
        var user = new Option<string>("--user", "-u") { Description = "Whose key (created if it does not exist).", Required = true };
        var label = new Option<string?>("--name") { Description = "A label to recognise the key by." };
        var admin = new Option<bool>("--admin") { Description = "When creating the user, make it an administrator." };
        var create = new Command("create", "Create an API key (and the user, if new); the key is printed once.") { user, label, admin, ServeCommand.Data };
        create.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            var name = parse.GetValue(user)!;
            var owner = await accounts.FindByNameAsync(name, ct);
            if (owner is null)
            {
                owner = await accounts.CreateUserAsync(name, null, parse.GetValue(admin), ct);
                await Console.Error.WriteLineAsync($"Created user '{name}'.");
            }

            var (key, secret) = await accounts.CreateApiKeyAsync(owner, parse.GetValue(label) ?? "cli", ct);
            await Console.Error.WriteLineAsync($"API key {key.Id} for '{name}' (shown once; keep it safe):");
            await Console.Out.WriteLineAsync(secret);
            return 0;
        }));

        var listUser = new Option<string>("--user", "-u") { Description = "Whose keys.", Required = true };
        var list = new Command("list", "List a user's API keys (not the secrets).") { listUser, ServeCommand.Data };
        list.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            var owner = await accounts.FindByNameAsync(parse.GetValue(listUser)!, ct);
            if (owner is null)
            {
                return NoSuchUser(parse.GetValue(listUser)!);
            }

            foreach (var k in await accounts.ListApiKeysAsync(owner.Id, ct))
            {
                await Console.Out.WriteLineAsync($"{k.Id}  {k.Prefix}…  {k.Name}  created {UnixTime.FromMs(k.CreatedAt):u}{(k.RevokedAt is { } r ? $"  revoked {UnixTime.FromMs(r):u}" : "")}");
            }

            return 0;
        }));

        var revokeUser = new Option<string>("--user", "-u") { Description = "Whose key.", Required = true };
        var keyId = new Argument<string>("key-id") { Description = "The key's id as 'keys list' shows it." };
        var revoke = new Command("revoke", "Revoke an API key at once.") { revokeUser, keyId, ServeCommand.Data };
        revoke.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            var owner = await accounts.FindByNameAsync(parse.GetValue(revokeUser)!, ct);
            if (owner is null || !await accounts.RevokeApiKeyAsync(owner.Id, parse.GetValue(keyId)!, ct))
            {
                await Console.Error.WriteLineAsync("vexaa: no such active key for that user.");
                return 3;
            }

            return 0;
        }));
        return new Command("keys", "Manage API keys.") { create, list, revoke };
    }

    public static Command Users()
    {
        var list = new Command("list", "List users.") { ServeCommand.Data };
        list.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            foreach (var u in await accounts.ListAsync(ct))
            {
                await Console.Out.WriteLineAsync($"{u.Name}{(u.IsAdmin ? "  (admin)" : "")}{(u.DisabledAt is null ? "" : "  (disabled)")}  created {UnixTime.FromMs(u.CreatedAt):u}");
            }

            return 0;
        }));

        var createName = new Argument<string>("name");
        var admin = new Option<bool>("--admin") { Description = "Make the user an administrator." };
        var create = new Command("create", "Create a user with a generated password (printed once).") { createName, admin, ServeCommand.Data };
        create.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            var name = parse.GetValue(createName)!;
            if (await accounts.FindByNameAsync(name, ct) is not null)
            {
                await Console.Error.WriteLineAsync($"vexaa: user '{name}' already exists.");
                return 4;
            }

            var password = UserAccounts.NewPassword();
            await accounts.CreateUserAsync(name, password, parse.GetValue(admin), ct);
            await Console.Error.WriteLineAsync($"Created user '{name}'. Password (shown once):");
            await Console.Out.WriteLineAsync(password);
            return 0;
        }));

        var passwordName = new Argument<string>("name");
        var setPassword = new Command("set-password", "Give a user a new generated password (printed once).") { passwordName, ServeCommand.Data };
        setPassword.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
        {
            var user = await accounts.FindByNameAsync(parse.GetValue(passwordName)!, ct);
            if (user is null)
            {
                return NoSuchUser(parse.GetValue(passwordName)!);
            }

            var password = UserAccounts.NewPassword();
            await accounts.SetPasswordAsync(user, password, ct);
            await Console.Out.WriteLineAsync(password);
            return 0;
        }));

        var deleteName = new Argument<string>("name");
        var delete = new Command("delete", "Delete a user, their keys and their jobs' records.") { deleteName, ServeCommand.Data };
        delete.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
            await accounts.DeleteAsync(parse.GetValue(deleteName)!, ct) ? 0 : NoSuchUser(parse.GetValue(deleteName)!)));
        var disableName = new Argument<string>("name");
        var disable = new Command("disable", "Disable a user: their sessions end at once and their API keys stop working.") { disableName, ServeCommand.Data };
        disable.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
            await accounts.SetDisabledAsync(parse.GetValue(disableName)!, true, ct) ? 0 : NoSuchUser(parse.GetValue(disableName)!)));
        var enableName = new Argument<string>("name");
        var enable = new Command("enable", "Enable a disabled user again.") { enableName, ServeCommand.Data };
        enable.SetAction((parse, ct) => WithAccountsAsync(parse, ct, async accounts =>
            await accounts.SetDisabledAsync(parse.GetValue(enableName)!, false, ct) ? 0 : NoSuchUser(parse.GetValue(enableName)!)));
        return new Command("users", "Manage users.") { list, create, setPassword, disable, enable, delete };
    }

    private static int NoSuchUser(string name)
    {
        Console.Error.WriteLine($"vexaa: there is no user '{name}'.");
        return 3;
    }

    /// <summary>Opens the configured database (migrating it if needed), as the server would, and runs <paramref name="action"/>.</summary>
    private static Task<int> WithAccountsAsync(ParseResult parse, CancellationToken cancellationToken, Func<UserAccounts, Task<int>> action) =>
        HostErrors.RunAsync(async () =>
        {
            var configuration = new ConfigurationBuilder()
                .SetBasePath(Directory.GetCurrentDirectory())
                .AddJsonFile("appsettings.json", optional: true)
                .AddEnvironmentVariables()
                .AddInMemoryCollection(parse.GetValue(ServeCommand.Data) is { } data ? [new("Vexaa:DataDirectory", data)] : [])
                .Build();
            await using var services = new ServiceCollection().AddLogging(l => l.AddConsole().SetMinimumLevel(LogLevel.Warning)).AddVexaaCore(configuration).BuildServiceProvider();
            VexaaSettings.ThrowIfInvalid(services);
            await services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            try
            {
                return await action(services.GetRequiredService<UserAccounts>());
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"vexaa: {e.Message}");
                return 2;
            }
            catch (DuplicateUserException e)
            {
                await Console.Error.WriteLineAsync($"vexaa: {e.Message}");
                return 4;
            }
        });
}
