namespace Vexaa.Media;

/// <summary>
/// The output-count limit's message. The limit counts the files encoded at once (tracks × formats), which is what costs
/// memory; a split makes that many per part, and parts run in batches under their own limit.
/// </summary>
public static class OutputCount
{
    /// <summary>Why <paramref name="plan"/> is refused under a limit of <paramref name="limit"/> files set by <paramref name="limitName"/>.</summary>
    public static string TooMany(ExtractionPlan plan, int limit, string limitName)
    {
        var tracks = plan.Outputs.Select(o => o.Track.Index).Distinct().Count();
        var formats = plan.Outputs.Count / Math.Max(1, tracks);
        var made = tracks > 1 && formats > 1 ? $" ({tracks} tracks × {formats} formats)" : "";
        var perPart = plan.Parts.Count > 0 ? " for each part" : "";
        return $"This would make {plan.Outputs.Count} files{perPart}{made}, more than the {limit} allowed per job ({limitName}); choose fewer tracks or formats.";
    }
}
