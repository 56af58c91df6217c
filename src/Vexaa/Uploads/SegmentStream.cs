using Vexaa.Storage;

namespace Vexaa.Uploads;

/// <summary>
/// Reads an upload's segments one after another as one stream, opening each stored object only when the previous one is
/// used up, so nothing but one read buffer is held in memory whatever the upload's size.
/// </summary>
internal sealed class SegmentStream(IFileStore store, IReadOnlyList<UploadSegment> segments) : ForwardOnlyStream
{
    private int _next;
    private Stream? _current;
    private long _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                if (_next == segments.Count)
                {
                    return 0;
                }

                var segment = segments[_next++];
                if (segment.StartOffset != _position)
                {
                    throw new InvalidDataException($"Upload segment '{segment.StorageKey}' starts at {segment.StartOffset}, not {_position}.");
                }

                _current = await store.OpenReadAsync(segment.StorageKey, cancellationToken).ConfigureAwait(false)
                    ?? throw new FileNotFoundException($"Upload segment '{segment.StorageKey}' is missing from storage.");
            }

            var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync().ConfigureAwait(false);
            _current = null;
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
