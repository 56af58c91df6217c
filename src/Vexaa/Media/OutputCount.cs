namespace Vexaa.Media;

/// <summary>The output-count limit's message: how many files, and what they are made of (tracks × formats × parts).</summary>
public static class OutputCount
{
    /// <summary>Why <paramref name="plan"/> is refused under a limit of <paramref name="limit"/> files set by <paramref name="limitName"/>.</summary>
    public static string TooMany(ExtractionPlan plan, int limit, string limitName)
    {
        var tracks = plan.Outputs.Select(o => o.Track.Index).Distinct().Count();
        var formats = plan.Outputs.Count / Math.Max(1, tracks);
        var factors = new List<string>();
        if (plan.Parts.Count > 0)
        {
            factors.Add($"{plan.Parts.Count} parts");
        }
        else if (tracks > 1)
        {
            factors.Add($"{tracks} tracks");
        }

        if (formats > 1)
        {
            factors.Add($"{formats} formats");
        }

        var made = factors.Count > 1 ? $" ({string.Join(" × ", factors)})" : "";
        return $"This would make {plan.FileCount} files{made}, more than the {limit} allowed per job ({limitName}); choose fewer tracks, formats or parts.";
    }
}
