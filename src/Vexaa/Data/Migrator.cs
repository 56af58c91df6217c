using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Vexaa.Data;

/// <summary>
/// Applies the numbered SQL scripts in Data/Migrations/&lt;dialect&gt;/ in order, each once, recording them in
/// <c>schema_migrations</c>, so that several processes starting at once apply each script exactly once (SQLite: under
/// its write lock; MySQL: under a named lock).
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

        // MySQL commits DDL implicitly, so a transaction cannot keep two starting processes apart; a named lock can.
        if (database.Dialect == SqlDialect.MySql
            && await connection.ExecuteScalarAsync<long?>("SELECT GET_LOCK('vexaa_migrations', 300)").ConfigureAwait(false) != 1)
        {
            throw new InvalidOperationException("Could not take the database migration lock within 5 minutes; is another VExAA process stuck migrating?");
        }

        foreach (var (version, name, sql) in Scripts(database.Dialect))
        {
            // SQLite: a transaction whose first write takes the database lock before looking, so two processes cannot both
            // decide to apply the same script. MySQL: the named lock above does that, and DDL cannot be rolled back anyway.
            await using var transaction = database.Dialect == SqlDialect.Sqlite
                ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
                : null;
            if (transaction is not null)
            {
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
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            logger.LogInformation("Applied database migration {Version} ({Name})", version, name);
        }

        if (database.Dialect == SqlDialect.MySql)
        {
            await connection.ExecuteAsync("DO RELEASE_LOCK('vexaa_migrations')").ConfigureAwait(false);
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
