using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Vexaa.Data;

/// <summary>Which SQL the database speaks.</summary>
public enum SqlDialect { Sqlite, MySql }

/// <summary>
/// Opens connections to VExAA's database. SQLite (the embedded default) lives in the data folder; each connection
/// waits for the write lock rather than failing, and enforces foreign keys.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;

    // Every query maps snake_case columns to properties; set here, it holds for every user of a Database (hosts, tests, benches).
    static Database() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public Database(SqlDialect dialect, string connectionString)
    {
        Dialect = dialect;
        _connectionString = connectionString;
    }

    public SqlDialect Dialect { get; }

    /// <summary>The database the settings name: SQLite in the data folder, or MySQL/MariaDB by connection string.</summary>
    public static Database Create(DatabaseOptions database, DataOptions data) => database.Provider switch
    {
        "sqlite" => Sqlite(data.FullPath),
        _ => MySql(database.ConnectionString!),
    };

    /// <summary>The embedded database: one SQLite file in <paramref name="dataDirectory"/>.</summary>
    public static Database Sqlite(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, "vexaa.db");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dataDirectory);
        }
        else
        {
            MakePrivate(dataDirectory, file);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new Database(SqlDialect.Sqlite, builder.ToString());
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakePrivate(string dataDirectory, string file)
    {
        // The file holds webhook secrets, password hashes and the cookie keys: the folder is this user's alone (0700),
        // the file 0600 (SQLite gives its -wal and -shm files the database file's mode).
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Directory.CreateDirectory(dataDirectory, owner | UnixFileMode.UserExecute);
        File.SetUnixFileMode(dataDirectory, owner | UnixFileMode.UserExecute);
        try
        {
            using var created = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = owner });
        }
        catch (IOException) when (File.Exists(file))
        {
            // It exists already (or another process made it just now); its mode is set below.
        }

        foreach (var path in new[] { file, file + "-wal", file + "-shm", file + "-journal" }.Where(File.Exists))
        {
            File.SetUnixFileMode(path, owner);
        }
    }

    /// <summary>MySQL 8 or MariaDB 10.6+, shared by any number of VExAA processes.</summary>
    public static Database MySql(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString)
        {
            // Times are BIGINT milliseconds and booleans TINYINT(1); nothing depends on the server's time zone or SQL mode.
            ConnectionReset = true,
            Pooling = true,
        };
        return new Database(SqlDialect.MySql, builder.ConnectionString);
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = Create();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Dialect == SqlDialect.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = SqliteBusyTimeout;
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    /// <summary>Which of <paramref name="ids"/> have a row in <paramref name="table"/> (<c>jobs</c> or <c>uploads</c>).</summary>
    public async Task<IReadOnlySet<string>> KnownIdsAsync(string table, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (table is not ("jobs" or "uploads"))
        {
            throw new ArgumentException($"'{table}' is not a table of rows with ids.", nameof(table));
        }

        if (ids.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<string>($"SELECT id FROM {table} WHERE id IN @ids", new { ids }).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>For the few callers whose interface is synchronous (ASP.NET Core's key ring repository).</summary>
    public DbConnection Open()
    {
        var connection = Create();
        connection.Open();
        if (Dialect == SqlDialect.Sqlite)
        {
            using var pragma = connection.CreateCommand();
            pragma.CommandText = SqliteBusyTimeout;
            pragma.ExecuteNonQuery();
        }

        return connection;
    }

    // Workers and requests write concurrently; wait for the lock instead of failing with SQLITE_BUSY.
    private const string SqliteBusyTimeout = "PRAGMA busy_timeout = 30000;";

    private DbConnection Create() => Dialect switch
    {
        SqlDialect.Sqlite => new SqliteConnection(_connectionString),
        _ => new MySqlConnection(_connectionString),
    };
}
