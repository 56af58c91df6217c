using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Vexaa.Storage;

/// <summary>
/// An object store that answered 5xx or "slow down", could not be reached, or cut a body short. Thrown for short bodies
/// (the SDK does not check them on every path); <see cref="StorageOutage.Is"/> also recognises the SDK's own errors once its retries
/// are spent.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : IOException(message, inner);

public static class StorageOutage
{
    /// <summary>True when trying again later can succeed: the store is down, overloaded or the network failed; not a refusal (403, 404).</summary>
    public static bool Is(Exception? e) => e switch
    {
        null => false,
        StorageUnavailableException => true,
        AmazonServiceException s => (int)s.StatusCode >= 500 || s.StatusCode == HttpStatusCode.TooManyRequests
            || s.ErrorCode is "SlowDown" or "RequestTimeout" or "ServiceUnavailable" or "InternalError" || IsNetwork(s.InnerException),
        AmazonClientException c => IsNetwork(c.InnerException) || c.InnerException is null,
        _ => IsNetwork(e),
    };

    private static bool IsNetwork(Exception? e) => e switch
    {
        null => false,
        HttpRequestException or SocketException or HttpIOException => true,
        _ => IsNetwork(e.InnerException),
    };
}
