using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Vexaa.Data;

/// <summary>
/// Applies the numbered SQL scripts in Data/Migrations/&lt;dialect&gt;/ in order, each once, recording them in
/// <c>schema_migrations</c>. Each script runs in a transaction that holds the database's write lock, so several
/// processes starting at once apply each script exactly once.
/// </summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets readers (API requests) proceed while a worker writes; it is a property of the file, set once.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;").ConfigureAwait(false);
        }

        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)")
            .ConfigureAwait(false);

        foreach (var (version, name, sql) in Scripts(database.Dialect))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (database.Dialect == SqlDialect.Sqlite)
            {
                // Take the write lock before looking, so two processes cannot both decide to apply the same script.
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) SELECT -1, 'lock', 0 WHERE 0", transaction: transaction).ConfigureAwait(false);
            }

            var applied = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction).ConfigureAwait(false);
            if (applied > 0)
            {
                continue;
            }

            await connection.ExecuteAsync(sql, transaction: transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version, name, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Applied database migration {Version} ({Name})", version, name);
        }
    }

    internal static IEnumerable<(int Version, string Name, string Sql)> Scripts(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Vexaa.Data.Migrations.{dialect.ToString().ToLowerInvariant()}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (version, file, reader.ReadToEnd());
            })
            .OrderBy(s => s.version);
    }
}
