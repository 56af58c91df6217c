using System.Data.Common;
using Dapper;

namespace Vexaa.Data;

/// <summary>
/// Claims one row for one worker, atomically with respect to every other claimer in every process. SQLite runs a single
/// UPDATE under its database-wide write lock; MySQL/MariaDB lock the chosen row with <c>FOR UPDATE SKIP LOCKED</c>, so
/// concurrent claimers skip each other's rows instead of queueing behind them.
/// </summary>
internal static class Claims
{
    /// <param name="candidates">A <c>SELECT id FROM {table} WHERE ... ORDER BY ... LIMIT 1</c> picking the next row.</param>
    /// <param name="set">The SET clause that claims it.</param>
    /// <returns>The claimed row's id, or null when there was nothing to claim.</returns>
    public static async Task<string?> ClaimAsync(DbConnection connection, SqlDialect dialect, string table, string candidates, string set, object args)
    {
        if (dialect == SqlDialect.Sqlite)
        {
            return await connection.ExecuteScalarAsync<string?>($"UPDATE {table} SET {set} WHERE id = ({candidates}) RETURNING id", args);
        }

        return await Deadlocks.RetryAsync(async () =>
        {
            // READ COMMITTED: no gap locks, so claimers skipping each other's rows do not deadlock on the index ranges
            // that REPEATABLE READ would lock around them.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
            var id = await connection.ExecuteScalarAsync<string?>(candidates + " FOR UPDATE SKIP LOCKED", args, transaction);
            if (id is not null)
            {
                var parameters = new DynamicParameters(args);
                parameters.Add("claimedId", id);
                await connection.ExecuteAsync($"UPDATE {table} SET {set} WHERE id = @claimedId", parameters, transaction);
            }

            await transaction.CommitAsync();
            return id;
        });
    }
}
