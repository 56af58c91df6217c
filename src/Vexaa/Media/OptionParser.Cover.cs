namespace Vexaa.Media;

public static partial class OptionParser
{
    /// <summary>
    /// "auto", a time ("0:12", "12.5") or, where <paramref name="allowImage"/>, a path to a .jpg/.jpeg/.png file → a cover
    /// request. <paramref name="name"/> is how messages call the option (--cover, cover).
    /// </summary>
    public static CoverRequest ParseCover(string value, string name, bool allowImage)
    {
        var text = value.Trim();
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return new CoverRequest(CoverSource.Auto);
        }

        if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '.') && !LooksLikeImage(text))
        {
            return new CoverRequest(CoverSource.Time, ParseTime(text, name));
        }

        if (allowImage && LooksLikeImage(text))
        {
            return new CoverRequest(CoverSource.Image, ImagePath: Path.GetFullPath(value));
        }

        throw MediaException.Invalid(allowImage
            ? $"{name} '{value}' is not auto, a time (seconds, MM:SS or HH:MM:SS) or a .jpg, .jpeg or .png image."
            : $"{name} '{value}' is not auto or a time (seconds, MM:SS or HH:MM:SS); send an image as the coverImage part.");
    }

    private static bool LooksLikeImage(string path) =>
        path.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
}
