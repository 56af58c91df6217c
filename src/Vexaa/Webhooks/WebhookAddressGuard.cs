using System.Net;
using System.Net.Sockets;

namespace Vexaa.Webhooks;

/// <summary>
/// Keeps webhooks from reaching the server's own network (SSRF). The check runs when the connection is made, on the
/// address actually connected to, so a name that resolves to a public address when checked and a private one when
/// used (DNS rebinding) is still refused.
/// </summary>
public static class WebhookAddressGuard
{
    /// <summary>True for loopback, private (RFC 1918, ULA), link-local, CGNAT, multicast, unspecified and similar ranges.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] >= 64 && b[1] <= 127,            // carrier-grade NAT
                169 => b[1] == 254,                           // link-local, cloud metadata
                172 => b[1] >= 16 && b[1] <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0) || (b[1] == 0 && b[2] == 2),
                198 => b[1] == 18 || b[1] == 19 || (b[1] == 51 && b[2] == 100),
                203 => b[1] == 0 && b[2] == 113,
                >= 224 => true,                               // multicast and reserved
                _ => false,
            };
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || address.GetAddressBytes()[0] == 0xfc || address.GetAddressBytes()[0] == 0xfd;
    }

    /// <summary>Checks a URL's form: absolute http(s), no credentials in it. Address checks happen at connect time.</summary>
    public static string? Problem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "webhookUrl must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "webhookUrl must not contain a user name or password.";
        }

        return url.Length > 2000 ? "webhookUrl is too long (2000 characters at most)." : null;
    }

    /// <summary>
    /// Why a webhook to <paramref name="url"/> can never be delivered, checked when the job is submitted, or null: the
    /// unspecified address (0.0.0.0, ::) or a name that does not resolve. Private addresses are refused at delivery, on
    /// the address actually connected to (a name's addresses may change in between).
    /// </summary>
    public static async Task<string?> RefusalAsync(string url, CancellationToken cancellationToken)
    {
        var host = new Uri(url).IdnHost;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
            {
                return $"webhookUrl's host '{host}' does not resolve to any address.";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow resolver is not proof the name is wrong: delivery will try (and retry) it.
                return null;
            }
        }

        return addresses.Length > 0 && addresses.All(IsUnspecified) ? $"webhookUrl's host '{host}' is the unspecified address, which names no server." : null;
    }

    private static bool IsUnspecified(IPAddress a) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a) is var x && (x.Equals(IPAddress.Any) || x.Equals(IPAddress.IPv6Any));

    /// <summary>A handler that connects only to public addresses unless <paramref name="allowPrivate"/>.</summary>
    public static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            IPAddress[] addresses;
            try
            {
                addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
            {
                throw new WebhookRefusedException($"{context.DnsEndPoint.Host} does not resolve to any address.");
            }

            // 0.0.0.0 means "this host" to a connecting socket: never a webhook receiver, even with private networks allowed.
            var allowed = addresses.Where(a => !IsUnspecified(a) && (allowPrivate || !IsPrivate(a))).ToArray();
            if (allowed.Length == 0)
            {
                throw new WebhookRefusedException($"{context.DnsEndPoint.Host} resolves only to private or loopback addresses, which webhooks may not reach.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>A webhook address that policy forbids; not retried.</summary>
public sealed class WebhookRefusedException(string message) : Exception(message);
