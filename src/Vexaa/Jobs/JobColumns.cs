using System.Text.Json;
using Vexaa.Media;

namespace Vexaa.Jobs;

/// <summary>
/// The one place that reads and writes a job row's JSON columns (options, probe, results), so every reader and writer
/// agrees on their shape and naming (camelCase, as the API shows them).
/// </summary>
public static class JobColumns
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static JobOptions Options(this Job job) => JsonSerializer.Deserialize<JobOptions>(job.OptionsJson, Json) ?? new JobOptions();

    public static MediaInfo? Probe(this Job job) => job.ProbeJson is null ? null : JsonSerializer.Deserialize<MediaInfo>(job.ProbeJson, Json);

    public static IReadOnlyList<JobResultFile> Results(this Job job) => Results(job.ResultsJson);

    public static IReadOnlyList<JobResultFile> Results(string? resultsJson) =>
        resultsJson is null ? [] : JsonSerializer.Deserialize<List<JobResultFile>>(resultsJson, Json) ?? [];
}
