using System.Buffers.Binary;
using System.Text;

namespace Vexaa.Media;

/// <summary>Where an output's cover art comes from (<c>--cover</c>).</summary>
public enum CoverSource
{
    /// <summary>A representative, non-black frame of the video, chosen by VExAA.</summary>
    Auto,

    /// <summary>The video's frame at <see cref="CoverRequest.Time"/>.</summary>
    Time,

    /// <summary>A JPEG or PNG file (<see cref="CoverRequest.ImagePath"/>), checked and re-encoded.</summary>
    Image,
}

/// <summary>A <c>--cover</c> request, parsed by <see cref="OptionParser.ParseCover"/>.</summary>
/// <param name="ImagePath">For <see cref="CoverSource.Image"/>: the local file (a server fills it in once the upload is fetched).</param>
public sealed record CoverRequest(CoverSource Source, TimeSpan? Time = null, string? ImagePath = null);

/// <summary>
/// A cover ready to embed: a square baseline JPEG that VExAA encoded itself (nothing of the source's bytes passes
/// through), small enough to travel as one Vorbis comment on ffmpeg's command line.
/// </summary>
internal sealed record CoverArt(string Path, byte[] Jpeg, int Size)
{
    /// <summary>
    /// Linux refuses a single argument longer than 128 KiB (MAX_ARG_STRLEN); an Ogg cover is one argument,
    /// "METADATA_BLOCK_PICTURE=" + base64 of the picture block, so the JPEG must stay under ~98 KB. This leaves room.
    /// </summary>
    public const int MaxJpegBytes = 96_000;

    /// <summary>The largest side a cover is made at; smaller sources keep their size (never scaled up).</summary>
    public const int MaxSize = 600;

    /// <summary>The containers that hold cover art: MP3 (ID3 APIC), MP4 (covr), FLAC (PICTURE), Ogg (METADATA_BLOCK_PICTURE).</summary>
    public static bool Holds(string muxer) => muxer is "mp3" or "ipod" or "flac" || InComment(muxer);

    /// <summary>Ogg's muxer in ffmpeg 5.1 cannot write attached pictures, so the picture goes in a Vorbis comment.</summary>
    public static bool InComment(string muxer) => muxer is "ogg" or "opus";

    /// <summary>
    /// The FLAC picture block (as in FLAC's METADATA_BLOCK_PICTURE, big-endian): type 3 (front cover), MIME type,
    /// description, width, height, colour depth, palette size, then the data. Base64 of it is the Vorbis comment's value.
    /// </summary>
    public byte[] PictureBlock()
    {
        var mime = Encoding.ASCII.GetBytes("image/jpeg");
        var block = new byte[(8 * 4) + mime.Length + Jpeg.Length];
        var at = 0;
        void Put(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(block.AsSpan(at), value);
            at += 4;
        }

        Put(3);
        Put((uint)mime.Length);
        mime.CopyTo(block, at);
        at += mime.Length;
        Put(0); // no description
        Put((uint)Size);
        Put((uint)Size);
        Put(24); // 8-bit YCbCr, three components
        Put(0); // not a palette image
        Put((uint)Jpeg.Length);
        Jpeg.CopyTo(block, at);
        return block;
    }
}

/// <summary>Checks a cover request against the input and the outputs when a plan is made.</summary>
internal static class CoverPlanner
{
    public static void Check(CoverRequest? cover, MediaInfo media, IReadOnlyList<TrackPlan> outputs)
    {
        if (cover is null)
        {
            return;
        }

        foreach (var output in outputs)
        {
            CheckFormat(cover, output.Muxer, output.Extension);
        }

        if (cover.Source == CoverSource.Image)
        {
            return;
        }

        if (VideoFor(media) is null)
        {
            throw new MediaException(MediaError.NoVideoForCover, "The input has no video to take a cover from; give --cover a JPEG or PNG image instead.");
        }

        if (cover is { Source: CoverSource.Time, Time: { } time } && media.Duration is { } duration && time >= duration)
        {
            throw new MediaException(MediaError.CoverTimePastEnd,
                $"The cover time ({ExtractionPlanner.Timestamp(time)}) is at or after the end of the input ({ExtractionPlanner.Timestamp(duration)}).");
        }
    }

    /// <summary>WAV and raw AAC have no place for a picture: a cover asked for there is refused rather than quietly left out.</summary>
    public static void CheckFormat(CoverRequest? cover, string muxer, string extension)
    {
        if (cover is not null && !CoverArt.Holds(muxer))
        {
            throw MediaException.Invalid($"{extension} files cannot hold cover art; leave out the cover or choose mp3, m4a, alac, flac, opus or ogg.");
        }
    }

    /// <summary>The video track covers are taken from: the first that is a moving picture, not an embedded one.</summary>
    public static VideoTrack? VideoFor(MediaInfo media) => media.VideoTracks.FirstOrDefault(v => !v.IsCoverArt);
}
