namespace Vexaa.Media;

/// <summary>A later segment's FLAC: its first frame is frame <paramref name="FirstFrame"/> of the whole; it holds <paramref name="Samples"/> samples (null = to the end).</summary>
internal sealed record FlacSegment(string Path, long FirstFrame, long? Samples);

/// <summary>
/// Joins FLAC segments into the single pass's stream. FLAC codes every frame from its own block of samples alone, so a
/// segment cut on the block grid has the single pass's frames, byte for byte, except for the number in each frame's
/// header (and so its two CRCs). The first segment is already the output, with the single pass's metadata blocks; the
/// later segments' frames are appended renumbered, and STREAMINFO is given the whole's frame sizes, length and MD5.
/// </summary>
internal static class FlacSplicer
{
    // A frame of 4608 samples, 8 channels, 32 bits, stored verbatim is under 150 kB; a longer one means the stream is broken.
    private const int MaxFrame = 1 << 20;

    /// <summary>The whole's sample count, or null when a segment is not what was planned (the caller then encodes in one pass).</summary>
    public static long? Join(string output, long firstSamples, IReadOnlyList<FlacSegment> later, ReadOnlySpan<byte> md5)
    {
        using var file = new FileStream(output, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        // The first segment is the single pass cut short before its encoder, which wrote its true frame sizes and length.
        if (FlacFrames.ReadStreamInfo(file) is not { } info || !IsGrid(info) || info.Samples != firstSamples)
        {
            return null;
        }

        var (minFrame, maxFrame, total) = (info.MinFrame, info.MaxFrame, info.Samples);
        file.Position = file.Length;
        foreach (var segment in later)
        {
            using var source = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (FlacFrames.ReadStreamInfo(source) is not { } part || !IsGrid(part) || (part.SampleRate, part.Channels, part.Bits) != (info.SampleRate, info.Channels, info.Bits)
                || total != segment.FirstFrame * SegmentPlanner.FlacBlock || Frames(source, part, file, segment.Samples ?? part.Samples, segment.FirstFrame) is not { } added)
            {
                return null;
            }

            (minFrame, maxFrame, total) = (Math.Min(minFrame, added.MinFrame), Math.Max(maxFrame, added.MaxFrame), total + added.Samples);
        }

        FlacFrames.WriteStreamInfo(file, info, minFrame, maxFrame, total, md5);
        return total;
    }

    /// <summary>
    /// Reads a later segment's frames, checking they are numbered from 0 in whole blocks (only the whole's last may be
    /// short) and hold <paramref name="samples"/>, and writes them to <paramref name="output"/> numbered from <paramref name="firstFrame"/>.
    /// </summary>
    private static (int MinFrame, int MaxFrame, long Samples)? Frames(FileStream source, FlacStreamInfo info, Stream output, long samples, long firstFrame)
    {
        source.Position = info.AudioStart;
        var reader = new FrameReader(source);
        var (min, max, count, number) = (int.MaxValue, 0, 0L, 0L);
        while (reader.Next() is { } frame)
        {
            var header = reader.Header;
            if (header.Number != number++ || (header.Samples != SegmentPlanner.FlacBlock && reader.More))
            {
                return null;
            }

            var size = WriteRenumbered(output, frame.Span, header, firstFrame);
            (min, max, count) = (Math.Min(min, size), Math.Max(max, size), count + header.Samples);
        }

        return count == samples && count > 0 ? (min, max, count) : null;
    }

    // ffmpeg's encoder writes fixed-size blocks at these rates; anything else was not cut on the grid the plan assumed.
    private static bool IsGrid(FlacStreamInfo info) => info.MinBlock == SegmentPlanner.FlacBlock && info.MaxBlock == SegmentPlanner.FlacBlock;

    private static int WriteRenumbered(Stream output, ReadOnlySpan<byte> frame, FlacFrameHeader header, long firstFrame)
    {
        var number = FlacFrames.CodeNumber(header.Number + firstFrame);
        var headerLength = header.NumberStart + number.Length + (header.End - 1 - header.NumberEnd);
        Span<byte> head = stackalloc byte[headerLength + 1];
        frame[..header.NumberStart].CopyTo(head);
        number.CopyTo(head[header.NumberStart..]);
        frame[header.NumberEnd..(header.End - 1)].CopyTo(head[(header.NumberStart + number.Length)..]);
        head[headerLength] = FlacFrames.Crc8(head[..headerLength]);

        // The frame was read with a valid CRC-16; only its header changed, so its new CRC follows from the old one.
        var body = frame[header.End..^2];
        var crc = FlacFrames.Crc16Replaced((ushort)((frame[^2] << 8) | frame[^1]), frame[..header.End], head, body.Length);
        output.Write(head);
        output.Write(body);
        output.Write([(byte)(crc >> 8), (byte)crc]);
        return head.Length + body.Length + 2;
    }

    /// <summary>
    /// Reads frames front to back. FLAC does not store frame lengths: a frame ends where the bytes so far carry a valid
    /// CRC-16 and a valid header (with its own CRC-8) follows, or at the end of the file, as decoders find them.
    /// </summary>
    private sealed class FrameReader(Stream source)
    {
        private byte[] _buffer = new byte[1 << 20];
        private int _start;
        private int _end;
        private bool _eof;

        public FlacFrameHeader Header { get; private set; }

        /// <summary>Whether bytes follow the frame last returned.</summary>
        public bool More => _start < _end || !_eof;

        /// <summary>The next frame's bytes (valid until the next call), or null at the end; throws when the stream is broken.</summary>
        public ReadOnlyMemory<byte>? Next()
        {
            Fill(_start + 32);
            if (_start == _end)
            {
                return null;
            }

            Header = FlacFrames.Header(_buffer.AsSpan(_start, _end - _start)) ?? throw new InvalidDataException("A FLAC segment has a broken frame header.");
            ushort crc = 0;
            // The CRC covers [_start, hashed); candidates for the next header are looked for from q on.
            var (hashed, q) = (_start, _start + Header.End);
            while (true)
            {
                var limit = _eof ? _end : _end - 32;
                if (q >= limit)
                {
                    if (_eof)
                    {
                        crc = FlacFrames.Crc16(crc, _buffer.AsSpan(hashed, _end - hashed));
                        return crc == 0 ? Take(_end) : throw new InvalidDataException("A FLAC segment ends inside a frame.");
                    }

                    var moved = Fill(_end + 1);
                    (hashed, q) = (hashed - moved, q - moved);
                    continue;
                }

                var found = _buffer.AsSpan(q, limit - q).IndexOf((byte)0xff);
                if (found < 0)
                {
                    q = limit;
                    continue;
                }

                var at = q + found;
                q = at + 1;
                // A header of the next frame (numbered one on) that the bytes before it end with a valid CRC-16 for.
                if (at + 1 < _end && _buffer[at + 1] == 0xf8 && FlacFrames.Header(_buffer.AsSpan(at, _end - at)) is { } next && next.Number == Header.Number + 1)
                {
                    crc = FlacFrames.Crc16(crc, _buffer.AsSpan(hashed, at - hashed));
                    hashed = at;
                    if (crc == 0)
                    {
                        return Take(at);
                    }
                }
            }
        }

        private ReadOnlyMemory<byte> Take(int end)
        {
            var frame = _buffer.AsMemory(_start, end - _start);
            _start = end;
            return frame;
        }

        // Makes bytes up to `want` available (or all that are left), moving the frame being read to the front first;
        // returns how far the bytes moved.
        private int Fill(int want)
        {
            if (want <= _end || _eof)
            {
                return 0;
            }

            var moved = _start;
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (want, _end, _start) = (want - _start, _end - _start, 0);
            }

            while (want > _buffer.Length)
            {
                if (_buffer.Length >= MaxFrame * 2)
                {
                    throw new InvalidDataException("A FLAC segment has a frame longer than any encoder writes.");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            while (_end < want && !_eof)
            {
                var read = source.Read(_buffer, _end, _buffer.Length - _end);
                _eof = read == 0;
                _end += read;
            }

            return moved;
        }
    }
}
