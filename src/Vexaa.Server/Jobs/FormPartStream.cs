namespace Vexaa.Server.Jobs;

/// <summary>
/// A multipart body that ends before its closing boundary (or never had the boundary its Content-Type names) makes the
/// reader throw IOException, which is the client's fault, not a server error: it becomes InvalidDataException, answered
/// with 400 malformed-multipart. Limits (BadHttpRequestException) and aborted requests pass through unchanged.
/// </summary>
internal sealed class FormPartStream(Stream inner, CancellationToken requestAborted) : ForwardOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException e) when (IsMalformed(e, requestAborted))
        {
            throw Malformed(e);
        }
    }

    public static bool IsMalformed(IOException e, CancellationToken requestAborted) => e is not BadHttpRequestException && !requestAborted.IsCancellationRequested;

    public static InvalidDataException Malformed(IOException e) =>
        new($"the multipart body is cut short or does not match its boundary ({e.Message.TrimEnd('.')}).");
}
