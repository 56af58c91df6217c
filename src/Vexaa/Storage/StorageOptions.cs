namespace Vexaa.Storage;

/// <summary><c>Vexaa:Storage</c>: where inputs, results and uploads are kept.</summary>
public sealed class StorageOptions
{
    public const string Section = Settings.Root + ":Storage";

    /// <summary><c>local</c> (a folder under the data directory) or <c>s3</c>.</summary>
    public string Provider { get; set; } = "local";
    public S3Options S3 { get; set; } = new();

    /// <param name="maxUploadBytes">The largest upload (<c>Vexaa:Limits:MaxUploadBytes</c>): S3's parts must add up to it.</param>
    public IEnumerable<string> Problems(long maxUploadBytes)
    {
        if (Provider is not ("local" or "s3")) yield return $"{Section}:Provider must be local or s3 (it is '{Provider}').";
        if (Provider == "s3")
        {
            foreach (var p in S3.Problems($"{Section}:S3", maxUploadBytes)) yield return p;
        }
    }
}
