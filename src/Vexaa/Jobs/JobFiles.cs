namespace Vexaa.Jobs;

/// <summary>Storage keys and file names for a job. Keys are built from ids only; names from the upload are cleaned.</summary>
public static class JobFiles
{
    public static string Prefix(string jobId) => $"jobs/{jobId}/";

    public static string InputKey(string jobId) => $"jobs/{jobId}/input";

    /// <summary>Results live under the lease token that made them, so a stale worker's files never mix with the current ones.</summary>
    public static string ResultsPrefix(string jobId, long token) => $"jobs/{jobId}/results/{token}/";

    /// <summary>A file name stem from a user's upload name: no folders, no control or reserved characters, not too long.</summary>
    public static string SafeStem(string uploadName)
    {
        var name = Path.GetFileNameWithoutExtension(uploadName.Replace('\\', '/').Split('/')[^1]);
        var clean = new string([.. name.Select(c => char.IsControl(c) || "<>:\"/\\|?*".Contains(c) ? '_' : c)]).Trim().TrimStart('.');
        if (clean.Length > 120)
        {
            clean = clean[..120];
        }

        return clean.Length == 0 ? "audio" : clean;
    }

    public static string ContentType(string extension) => extension switch
    {
        ".mp3" => "audio/mpeg",
        ".aac" => "audio/aac",
        ".m4a" => "audio/mp4",
        ".opus" => "audio/ogg; codecs=opus",
        ".ogg" => "audio/ogg",
        ".flac" => "audio/flac",
        ".wav" => "audio/wav",
        ".mka" => "audio/x-matroska",
        ".ac3" => "audio/ac3",
        ".eac3" => "audio/eac3",
        _ => "application/octet-stream",
    };
}
