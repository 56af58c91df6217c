namespace Vexaa.Jobs;

/// <summary>Storage keys and file names for a job. Keys are built from ids only; names from the upload are cleaned.</summary>
public static class JobFiles
{
    public static string Prefix(string jobId) => $"jobs/{jobId}/";

    public static string InputKey(string jobId) => $"jobs/{jobId}/input";

    /// <summary>The picture sent with the job for its cover art (the form's <c>coverImage</c> part).</summary>
    public static string CoverKey(string jobId) => $"jobs/{jobId}/cover";

    /// <summary>The second and later inputs of a join: part 1 is the second input. A folder, so they go in one delete.</summary>
    public static string PartsPrefix(string jobId) => $"jobs/{jobId}/parts/";

    public static string PartKey(string jobId, int part) => PartsPrefix(jobId) + part.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Deletes every input of a job: its own, a join's other parts and a cover picture sent with it.</summary>
    public static async Task DeleteInputsAsync(Storage.IFileStore store, string jobId, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(InputKey(jobId), cancellationToken);
        await store.DeletePrefixAsync(PartsPrefix(jobId), cancellationToken);
        await store.DeleteAsync(CoverKey(jobId), cancellationToken);
    }

    /// <summary>Results live under the lease token that made them, so a stale worker's files never mix with the current ones.</summary>
    public static string ResultsPrefix(string jobId, long token) => $"jobs/{jobId}/results/{token}/";

    /// <summary>A file name stem from a user's upload name: no folders, no control or reserved characters, not too long.</summary>
    public static string SafeStem(string uploadName)
    {
        var name = Path.GetFileNameWithoutExtension(uploadName.Replace('\\', '/').Split('/')[^1]);
        // Bidi overrides (U+202E makes "evil\u202Egpj.mp3" display as "evilmp3.jpg") and other invisible format
        // characters are dropped; control characters and those Windows forbids in names become '_'.
        var clean = new string([.. name.Where(c => !IsInvisible(c)).Select(c => char.IsControl(c) || "<>:\"/\\|?*".Contains(c) ? '_' : c)]).Trim().TrimStart('.');
        if (clean.Length > 120)
        {
            clean = clean[..120];
        }

        return clean.Length == 0 ? "audio" : clean;
    }

    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
        or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;

    /// <summary>A stored result's file name made safe again (results stored before names were cleaned), keeping its extension.</summary>
    public static string SafeFileName(string fileName) =>
        fileName.Any(c => IsInvisible(c) || char.IsControl(c)) ? SafeStem(fileName) + Path.GetExtension(fileName) : fileName;

    /// <summary>A reused result is named after this job's upload, not the earlier one's: "old.track1-deu.mp3" → "new.track1-deu.mp3".</summary>
    public static string RenameFor(string fileName, string earlierInput, string thisInput)
    {
        var (earlierStem, stem) = (JobFiles.SafeStem(earlierInput), JobFiles.SafeStem(thisInput));
        return fileName.StartsWith(earlierStem, StringComparison.Ordinal) ? stem + fileName[earlierStem.Length..] : stem + Path.GetExtension(fileName);
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
