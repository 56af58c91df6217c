namespace Vexaa.Data;

/// <summary>The top-level <c>Vexaa:DataDirectory</c>: where the embedded database, stored files and temporary work live.</summary>
public sealed class DataOptions
{
    public const string Section = Settings.Root;

    public string DataDirectory { get; set; } = "data";

    /// <summary>The data folder as an absolute path (relative settings are read against the working directory).</summary>
    public string FullPath => Path.GetFullPath(DataDirectory);

    /// <summary>Scratch space under the data folder, e.g. <c>tmp/jobs</c>; deleted freely.</summary>
    public string Scratch(params string[] parts) => Path.Combine([FullPath, "tmp", .. parts]);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) yield return $"{Section}:DataDirectory must name a folder.";
    }
}
