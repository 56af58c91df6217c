using Vexaa.Storage;

namespace Vexaa.Server.Uploads;

/// <summary>
/// A request body as the core library reads it: Kestrel stops a body over the request's size limit with its own
/// <see cref="BadHttpRequestException"/> (413), which the core knows as <see cref="UploadTooLargeException"/>.
/// </summary>
internal sealed class RequestBody(Stream inner) : ForwardOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new UploadTooLargeException(e.Message, e);
        }
    }
}
