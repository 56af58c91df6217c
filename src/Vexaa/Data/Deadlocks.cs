using MySqlConnector;

namespace Vexaa.Data;

/// <summary>
/// InnoDB may pick a transaction as a deadlock victim (1213) or give up waiting for a lock (1205) under concurrent
/// claims and updates. Both mean "nothing happened, try again": the statement is retried a few times with jitter.
/// </summary>
internal static class Deadlocks
{
    private const int Attempts = 8;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (MySqlException e) when (attempt < Attempts && e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt));
            }
        }
    }
}
