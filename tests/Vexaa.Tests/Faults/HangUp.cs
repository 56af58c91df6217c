using System.Net.Sockets;
using System.Text;

namespace Vexaa.Tests.Faults;

/// <summary>
/// A client that hangs up: it sends a request's head and only part of the body it announced over a raw socket, then
/// closes the connection, as a browser tab closed mid-upload or a dropped mobile link does.
/// </summary>
public static class HangUp
{
    public static async Task SendPartAsync(Uri server, string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body, int sendBytes)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.Host, server.Port);
        var stream = socket.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await stream.WriteAsync(body.AsMemory(0, sendBytes));
        await stream.FlushAsync();
        // Let the server take in what was sent before the connection goes, so it has something to keep or throw away.
        await Task.Delay(300);
        socket.Client.Close(0);
    }
}
