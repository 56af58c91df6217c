namespace Vexaa.Storage;

/// <summary>S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, ...), used when <c>Vexaa:Storage:Provider</c> is <c>s3</c>.</summary>
public sealed class S3Options
{
    /// <summary>S3 refuses parts under 5 MiB (except the last) and uploads of more than 10,000 parts.</summary>
    public const long MinPartSize = 5L << 20;
    public const int MaxParts = 10_000;

    /// <summary>The endpoint of an S3-compatible service, e.g. <c>http://minio:9000</c>; empty for AWS (the endpoint follows the region).</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region, or the region the service signs with (<c>auto</c> for R2; MinIO accepts <c>us-east-1</c>).</summary>
    public string Region { get; set; } = "us-east-1";
    public string? Bucket { get; set; }

    /// <summary>With neither key set, credentials come from the SDK's default chain (environment, profile, instance or pod role).</summary>
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path (<c>host/bucket/key</c>) rather than the host name: MinIO and most self-hosted services need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Send bodies in aws-chunked framing with a checksum trailer (the SDK's default, right for AWS). Several S3-compatible
    /// services store that framing inside the object without an error; set false for them.
    /// </summary>
    public bool UseChunkEncoding { get; set; } = true;

    /// <summary>Uploads of unknown length go up in parts of this size; each upload in flight holds two parts in memory.</summary>
    public long PartSizeBytes { get; set; } = 8L << 20;

    /// <summary><c>proxy</c>: downloads stream through this server (Range and ETag work). <c>redirect</c>: a 302 to a short-lived presigned URL.</summary>
    public string Downloads { get; set; } = "proxy";
    public double PresignSeconds { get; set; } = 300;

    public IEnumerable<string> Problems(string prefix, long maxUploadBytes)
    {
        if (string.IsNullOrWhiteSpace(Bucket)) yield return $"{prefix}:Bucket is required when the storage provider is s3.";
        if (string.IsNullOrWhiteSpace(Region)) yield return $"{prefix}:Region must name a region (us-east-1 suits most S3-compatible services).";
        if (!string.IsNullOrWhiteSpace(ServiceUrl) && !(Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            yield return $"{prefix}:ServiceUrl must be an http:// or https:// address (it is '{ServiceUrl}').";
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return $"{prefix}:AccessKey and {prefix}:SecretKey go together: set both, or neither to use the default AWS credential chain.";
        }

        if (PartSizeBytes < MinPartSize || PartSizeBytes > 1L << 30)
        {
            yield return $"{prefix}:PartSizeBytes must be between {MinPartSize} (5 MiB) and {1L << 30} (1 GiB) (it is {PartSizeBytes}).";
        }
        else if (PartSizeBytes * MaxParts < maxUploadBytes)
        {
            yield return $"{prefix}:PartSizeBytes must be at least {(maxUploadBytes + MaxParts - 1) / MaxParts} so that an upload of Vexaa:Limits:MaxUploadBytes fits in {MaxParts} parts.";
        }

        if (Downloads is not ("proxy" or "redirect")) yield return $"{prefix}:Downloads must be proxy or redirect (it is '{Downloads}').";
        if (PresignSeconds is < 1 or > 7 * 86400) yield return $"{prefix}:PresignSeconds must be between 1 and 604800 (it is {PresignSeconds}).";
    }
}
