using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Vexaa.Data;

/// <summary>
/// Tells an outage of the database (unreachable, shutting down, the connection cut, SQLite locked for longer than its
/// busy timeout) from a real error: the first passes by itself, so callers answer "try again" rather than "broken".
/// </summary>
public static class DatabaseOutage
{
    public static bool Is(Exception? e) => e switch
    {
        null => false,
        MySqlException m => m.IsTransient
            || m.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.ServerShutdown or MySqlErrorCode.NormalShutdown
                or MySqlErrorCode.ShutdownComplete or MySqlErrorCode.ConnectionCountError or MySqlErrorCode.TooManyUserConnections
                or MySqlErrorCode.AbortingConnection or MySqlErrorCode.NewAbortingConnection or MySqlErrorCode.CommandTimeoutExpired
                or MySqlErrorCode.QueryInterrupted
            || m.InnerException is IOException or SocketException or EndOfStreamException || Is(m.InnerException),
        // SQLITE_BUSY and SQLITE_LOCKED: another writer held the file past the busy timeout.
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        _ => Is(e.InnerException),
    };
}
