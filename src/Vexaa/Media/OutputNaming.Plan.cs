namespace Vexaa.Media;

public static partial class OutputNaming
{
    /// <summary>
    /// Every file of <paramref name="plan"/>, in the extractor's order. Several formats are told apart by their extension
    /// (<c>talk.flac</c>, <c>talk.mp3</c>), several tracks by a suffix (<c>talk.track1-deu.flac</c>), split parts by their
    /// number and title in <paramref name="partsFolder"/> (<c>01 - Intro.flac</c>, <c>01 - Intro.mp3</c>, ...).
    /// </summary>
    public static List<string> ForPlan(ExtractionPlan plan, string basePath, string? partsFolder)
    {
        if (plan.Parts.Count > 0)
        {
            var folder = partsFolder ?? basePath;
            return [.. plan.Parts.SelectMany(p => plan.Outputs.Select(o => ForPart(folder, p, plan.Parts.Count, o.Extension)))];
        }

        var severalTracks = plan.Outputs.Select(o => o.Track.Index).Distinct().Count() > 1;
        return [.. plan.Outputs.Select(o => ForTrack(basePath, o, severalTracks))];
    }
}
