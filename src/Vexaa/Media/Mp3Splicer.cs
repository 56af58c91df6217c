namespace Vexaa.Media;

/// <summary>A segment's MP3, encoded on its own from its place in the whole: its first audio frame is frame <paramref name="FirstFrame"/> of the whole.</summary>
/// <param name="Nominal">The frame of the whole where this segment should take over from the one before (its pre-roll ends there).</param>
internal sealed record Mp3Segment(string Path, long FirstFrame, long Nominal);

/// <summary>
/// Joins separately encoded MP3 segments into one stream with exactly the frames a single pass would have: every
/// segment starts on the same 1152-sample frame grid as the whole (its input cut on a frame boundary, with pre-roll
/// before its part and post-roll after), so frame n of a segment is frame FirstFrame + n of the whole. At each seam the
/// later segment takes over at a frame whose main data, reaching back into the bit reservoir, fits in the bytes the
/// earlier segment left unused before that frame; those bytes are copied across, so every frame decodes as encoded.
/// </summary>
internal static class Mp3Splicer
{
    // Frames a segment's encoder runs before its first frame that is used, and after the last, so its psychoacoustic
    // state, reservoir and filter banks have settled; the seam is looked for this far either side of the nominal frame.
    internal const int Warm = 16;
    internal const int Search = 24;
    private const int MaxReservoir = 511;

    /// <summary>Writes the joined frames (no tags, no Info frame) to <paramref name="output"/>; its frame count, delay and padding, or null when no seam fits.</summary>
    public static (long Frames, int Delay, int Padding)? Join(IReadOnlyList<Mp3Segment> segments, string output)
    {
        // Only the frames around the seams are ever looked at: each segment's first and last frames, however long it is.
        var window = (int)segments.Skip(1).Select(s => s.Nominal - s.FirstFrame).DefaultIfEmpty(0).Max() + Search + 2 * Warm + 32;
        var frames = new FrameWindow[segments.Count];
        var gapless = new (int Delay, int Padding)[segments.Count];
        for (var k = 0; k < segments.Count; k++)
        {
            if (FrameWindow.Read(segments[k].Path, window) is not { } read || ReadGapless(segments[k].Path, read.Info) is not { } g)
            {
                return null;
            }

            (frames[k], gapless[k]) = (read, g);
        }

        // Where each segment takes over (in frames of the whole); the first starts at its beginning.
        var takeOver = new long[segments.Count];
        for (var k = 1; k < segments.Count; k++)
        {
            if (Seam(frames[k - 1], segments[k - 1].FirstFrame, frames[k], segments[k].FirstFrame, segments[k].Nominal, takeOver[k - 1]) is not { } at)
            {
                return null;
            }

            takeOver[k] = at;
        }

        using var joined = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        long count = 0;
        for (var k = 0; k < segments.Count; k++)
        {
            using var source = File.OpenRead(segments[k].Path);
            var from = (int)(takeOver[k] - segments[k].FirstFrame);
            var to = k + 1 < segments.Count ? (int)(takeOver[k + 1] - segments[k].FirstFrame) : frames[k].Count;
            var held = k + 1 < segments.Count ? Math.Min(to - from, Warm) : 0;
            Copy(source, frames[k], from, to - held, joined);
            if (held > 0)
            {
                using var next = File.OpenRead(segments[k + 1].Path);
                var tail = Patched(source, frames[k].GetRange(to - held, held), next, frames[k + 1], (int)(takeOver[k + 1] - segments[k + 1].FirstFrame));
                joined.Write(tail);
            }

            count += to - from;
        }

        return (count, gapless[0].Delay, gapless[^1].Padding);
    }

    /// <summary>
    /// The frame of the whole where <paramref name="b"/> takes over from <paramref name="a"/>: nearest the nominal one, with
    /// both encoders settled there, and where the bytes b's frames from there reach back for fit in those a left unused.
    /// </summary>
    private static long? Seam(FrameWindow a, long aFirst, FrameWindow b, long bFirst, long nominal, long previous)
    {
        for (var distance = 0; distance <= Search; distance++)
        {
            foreach (var at in distance == 0 ? [nominal] : new[] { nominal - distance, nominal + distance })
            {
                var ia = at - aFirst;
                var ib = at - bFirst;
                if (ib < Warm || ia + Warm >= a.Count || ia < a.Count - a.TailLength + Warm || ib + Warm + 16 >= b.HeadLength || at - previous <= 2 * Warm)
                {
                    continue;
                }

                if (Reach(b, (int)ib) <= a[(int)ia].MainDataBegin)
                {
                    return at;
                }
            }
        }

        return null;
    }

    /// <summary>How many bytes before frame <paramref name="from"/>'s header the main data of it and the frames after it reach back.</summary>
    internal static int Reach(FrameWindow frames, int from)
    {
        var reach = 0;
        long between = 0;
        for (var i = from; i < frames.Count && between < MaxReservoir; i++)
        {
            reach = (int)Math.Max(reach, frames[i].MainDataBegin - between);
            between += frames[i].Length - frames[i].DataStart;
        }

        return reach;
    }

    private static void Copy(FileStream source, FrameWindow frames, int from, int to, Stream output)
    {
        if (to <= from)
        {
            return;
        }

        source.Position = frames[from].Offset;
        var length = frames[to - 1].Offset + frames[to - 1].Length - frames[from].Offset;
        var buffer = new byte[1 << 16];
        while (length > 0)
        {
            var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException("A segment ended before its last frame.");
            }

            output.Write(buffer, 0, read);
            length -= read;
        }
    }

    /// <summary>a's last frames before the seam, with the end of their data regions replaced by the bytes b's frames from the seam on reach back for.</summary>
    private static byte[] Patched(FileStream aFile, List<Mp3Frame> aTail, FileStream bFile, FrameWindow b, int seam)
    {
        var reach = Reach(b, seam);
        var tail = Bytes(aFile, aTail);
        var before = Bytes(bFile, b.GetRange(seam - Warm, Warm));
        // Walk both backwards through their data regions only (headers and side info stay a's), byte by byte.
        var (ai, bi) = (aTail.Count - 1, Warm - 1);
        var (ap, bp) = (tail.Length, before.Length);
        var aStart = tail.Length - aTail[ai].Length + aTail[ai].DataStart;
        var bStart = before.Length - b[seam - Warm + bi].Length + b[seam - Warm + bi].DataStart;
        for (var n = 0; n < reach; n++)
        {
            while (ap == aStart)
            {
                ap -= aTail[ai].DataStart;
                ai--;
                aStart = ap - aTail[ai].Length + aTail[ai].DataStart;
            }

            while (bp == bStart)
            {
                bp -= b[seam - Warm + bi].DataStart;
                bi--;
                bStart = bp - b[seam - Warm + bi].Length + b[seam - Warm + bi].DataStart;
            }

            tail[--ap] = before[--bp];
        }

        return tail;
    }

    private static byte[] Bytes(FileStream file, List<Mp3Frame> frames)
    {
        var bytes = new byte[frames[^1].Offset + frames[^1].Length - frames[0].Offset];
        file.Position = frames[0].Offset;
        file.ReadExactly(bytes);
        return bytes;
    }

    private static (int, int)? ReadGapless(string path, Mp3Frame info)
    {
        using var file = File.OpenRead(path);
        var bytes = new byte[info.Length];
        file.Position = info.Offset;
        file.ReadExactly(bytes);
        return Mp3Frames.ReadGapless(bytes, info.DataStart);
    }
}

/// <summary>
/// A segment's frames as the splice needs them: the Info frame, the count, and only the first and last
/// <c>window</c> frames (read front to back once), so the memory used does not grow with the input's length.
/// </summary>
internal sealed class FrameWindow
{
    private readonly List<Mp3Frame> _head = [];
    private readonly Queue<Mp3Frame> _tailQueue = new();
    private Mp3Frame[] _tail = [];

    private FrameWindow(Mp3Frame info) => Info = info;

    public Mp3Frame Info { get; }
    public int Count { get; private set; }
    public int HeadLength => _head.Count;
    public int TailLength => _tail.Length;

    public Mp3Frame this[int i] =>
        i < _head.Count ? _head[i]
        : i >= Count - _tail.Length && i < Count ? _tail[i - (Count - _tail.Length)]
        : throw new ArgumentOutOfRangeException(nameof(i), $"Frame {i} is outside the frames kept near the seams.");

    public List<Mp3Frame> GetRange(int from, int count) => [.. Enumerable.Range(from, count).Select(i => this[i])];

    /// <summary>The frames of a segment file whose first frame is its Info frame, or null when it has none.</summary>
    public static FrameWindow? Read(string path, int window)
    {
        FrameWindow? frames = null;
        foreach (var frame in Mp3Frames.Read(path))
        {
            if (frames is null)
            {
                if (!frame.IsInfo)
                {
                    return null;
                }

                frames = new FrameWindow(frame);
                continue;
            }

            if (frames._head.Count < window)
            {
                frames._head.Add(frame);
            }

            frames._tailQueue.Enqueue(frame);
            if (frames._tailQueue.Count > window)
            {
                frames._tailQueue.Dequeue();
            }

            frames.Count++;
        }

        if (frames is not null)
        {
            frames._tail = [.. frames._tailQueue];
            frames._tailQueue.Clear();
        }

        return frames;
    }
}
