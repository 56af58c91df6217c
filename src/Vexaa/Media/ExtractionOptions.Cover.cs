namespace Vexaa.Media;

public sealed partial record ExtractionOptions
{
    /// <summary>Cover art for every output (<c>--cover auto|TIME|IMAGE</c>); null embeds none.</summary>
    public CoverRequest? Cover { get; init; }
}
