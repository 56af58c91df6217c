using Vexaa.Storage;

namespace Vexaa.Tests.Storage;

public sealed class S3OptionsTests
{
    private static List<string> Problems(Action<S3Options> change, long maxUploadBytes = 8L << 30)
    {
        var options = new StorageOptions { Provider = "s3", S3 = { Bucket = "media" } };
        change(options.S3);
        return [.. options.Problems(maxUploadBytes)];
    }

    [Fact]
    public void A_bucket_alone_is_enough_with_the_default_credential_chain() => Assert.Empty(Problems(_ => { }));

    [Theory]
    [InlineData("Bucket", "")]
    [InlineData("Region", " ")]
    [InlineData("ServiceUrl", "minio:9000")]
    [InlineData("ServiceUrl", "ftp://minio")]
    [InlineData("AccessKey", "AKIA-only")]
    [InlineData("SecretKey", "secret-only")]
    [InlineData("PartSizeBytes", "1048576")]
    [InlineData("Downloads", "cdn")]
    [InlineData("PresignSeconds", "0")]
    public void A_wrong_setting_is_named_by_its_full_key(string setting, string value)
    {
        var problems = Problems(s => typeof(S3Options).GetProperty(setting)!.SetValue(s, setting switch
        {
            "PartSizeBytes" => long.Parse(value),
            "PresignSeconds" => double.Parse(value),
            _ => value,
        }));

        Assert.Contains(problems, p => p.Contains($"Vexaa:Storage:S3:{setting} "));
    }

    [Fact]
    public void Parts_must_be_large_enough_for_the_upload_limit()
    {
        var problems = Problems(s => s.PartSizeBytes = S3Options.MinPartSize, maxUploadBytes: 100L << 30);

        Assert.Equal(["Vexaa:Storage:S3:PartSizeBytes must be at least 10737419 so that an upload of Vexaa:Limits:MaxUploadBytes fits in 10000 parts."], problems);
    }

    [Fact]
    public void S3_settings_are_ignored_while_the_provider_is_local()
    {
        var options = new StorageOptions { Provider = "local", S3 = { Downloads = "cdn" } };

        Assert.Empty(options.Problems(maxUploadBytes: 8L << 30));
    }
}
