using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Vexaa.Data;

namespace Vexaa.Server.Auth;

/// <summary>
/// Keeps the data-protection key ring (the keys that encrypt sign-in cookies) in VExAA's database, so every API process
/// reads and writes the same keys: a session made on one replica works on the others, with no shared disk and no sticky
/// sessions. ASP.NET Core caches the ring and refreshes it when a cookie names a key it has not seen.
/// </summary>
public sealed class DatabaseKeyRing(Database database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name").Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Names are "key-<guid>", unique per key; a random suffix keeps any other element from colliding with one.
        var name = string.IsNullOrEmpty(friendlyName) ? Ids.New() : $"{friendlyName[..Math.Min(friendlyName.Length, 60)]}-{Ids.New()}";
        using var connection = database.Open();
        connection.Execute(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @now)",
            new { name, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}
