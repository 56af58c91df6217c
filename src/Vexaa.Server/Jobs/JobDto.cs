using Vexaa.Jobs;
using Vexaa.Media;

namespace Vexaa.Server.Jobs;

/// <summary>A job as the API shows it.</summary>
/// <param name="Phase">While running: preparing (fetching and reading the input), measuring-loudness (the first of two passes), encoding, or storing the results.</param>
/// <param name="QueuePosition">While queued: 1 when it is the next job any worker starts, 2 after that one, …</param>
public sealed record JobDto(
    string Id,
    string Status,
    double Progress,
    double? EtaSeconds,
    string? Phase,
    long? QueuePosition,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ExpiresAt,
    int Attempts,
    int MaxAttempts,
    JobInputDto Input,
    JobOptions Options,
    JobErrorDto? Error,
    IReadOnlyList<JobResultDto> Results,
    string? WebhookUrl,
    JobLinksDto Links)
{
    public static JobDto From(Job job, long? queuePosition = null)
    {
        var self = $"/api/v1/jobs/{job.Id}";
        var results = job.State == JobState.Succeeded ? job.Results() : [];
        var probe = job.Probe();
        return new JobDto(
            job.Id,
            job.State,
            job.Progress,
            job.EtaMs is { } eta ? Math.Round(eta / 1000.0, 1) : null,
            job.State == JobState.Running ? job.Phase : null,
            job.State == JobState.Queued ? queuePosition : null,
            UnixTime.FromMs(job.CreatedAt),
            job.StartedAt is { } s ? UnixTime.FromMs(s) : null,
            job.FinishedAt is { } f ? UnixTime.FromMs(f) : null,
            job.ExpiresAt is { } x ? UnixTime.FromMs(x) : null,
            job.Attempts,
            job.MaxAttempts,
            new JobInputDto(job.InputName, job.InputSize, job.InputSha256, job.InputKey is not null, probe is null ? null : ProbeDto.From(probe),
                job.InputKey is null ? null : job.State == JobState.Failed ? job.ExpiresAt is { } e ? UnixTime.FromMs(e) : null
                    : job.InputExpiresAt is { } k ? UnixTime.FromMs(Math.Min(k, job.ExpiresAt ?? k)) : null),
            job.Options(),
            job.ErrorCode is null || job.State is JobState.Succeeded or JobState.Canceled ? null : new JobErrorDto(job.ErrorCode, job.ErrorMessage ?? "", Problems.TypeOf(job.ErrorCode)),
            [.. results.Select(r => JobResultDto.From(r, $"{self}/results/{r.Index}"))],
            job.WebhookUrl,
            new JobLinksDto(self, $"{self}/events", results.Count > 0 ? $"{self}/result" : null));
    }
}

/// <param name="Stored">True while the input is stored: a failed job can be retried, a finished one converted again ('fromJob').</param>
/// <param name="KeptUntil">When a finished job's stored input is deleted.</param>
public sealed record JobInputDto(string Name, long Size, string? Sha256, bool Stored, ProbeDto? Probe, DateTimeOffset? KeptUntil);

public sealed record JobErrorDto(string Code, string Message, string Type);

public sealed record JobLinksDto(string Self, string Events, string? Result);

public sealed record JobResultDto(
    int Index, string FileName, string ContentType, long Size, string Format, string Codec, bool Copied, int Track,
    int? BitrateKbps, int? SampleRate, int? Channels, double DurationSeconds, LoudnessDto? Loudness, IReadOnlyList<JobChapter> Chapters, int? Part, string? Title, string Url)
{
    public static JobResultDto From(JobResultFile r, string url) => new(
        r.Index, r.FileName, r.ContentType, r.Size, r.Format, r.Codec, r.Copied, r.Track, r.BitrateKbps, r.SampleRate, r.Channels,
        r.DurationSeconds, LoudnessDto.From(r), r.Chapters ?? [], r.Part, r.Title, url);
}

/// <summary>
/// A normalised result's loudness: <see cref="InputLufs"/>/<see cref="OutputLufs"/> as before, and the whole report (target,
/// integrated loudness, range and true peak before and after, the gain applied, whether the target was met).
/// </summary>
public sealed record LoudnessDto(double? InputLufs, double? OutputLufs)
{
    public string? Target { get; init; }
    public double? TargetLufs { get; init; }
    public double? TargetTruePeakDbtp { get; init; }
    public JobLoudnessLevels? Input { get; init; }
    public JobLoudnessLevels? Output { get; init; }
    public double? GainDb { get; init; }
    public bool? TargetMet { get; init; }

    public static LoudnessDto? From(JobResultFile r) => r.InputLufs is null && r.OutputLufs is null && r.Loudness is null ? null
        : new LoudnessDto(r.InputLufs, r.OutputLufs)
        {
            Target = r.Loudness?.Target,
            TargetLufs = r.Loudness?.TargetLufs,
            TargetTruePeakDbtp = r.Loudness?.TargetTruePeakDbtp,
            Input = r.Loudness?.Input,
            Output = r.Loudness?.Output,
            GainDb = r.Loudness?.GainDb,
            TargetMet = r.Loudness?.TargetMet,
        };
}

/// <summary>What the input holds, in the units a client computes with.</summary>
/// <param name="Silences">With a silence option (trimSilence, maxPause, split silence): the pauses found, on the input's timeline.</param>
public sealed record ProbeDto(string Container, double? DurationSeconds, IReadOnlyList<ProbeTrackDto> AudioTracks, int VideoTracks, IReadOnlyList<ProbeChapterDto> Chapters,
    IReadOnlyList<ProbeSilenceDto>? Silences = null)
{
    public static ProbeDto From(MediaInfo m) => new(
        m.Container,
        m.Duration?.TotalSeconds,
        [.. m.AudioTracks.Select(t => new ProbeTrackDto(t.Index, t.Codec, t.Channels, t.ChannelLayout, t.SampleRate, t.BitRate, t.Language, t.Title, t.IsDefault))],
        m.VideoTracks.Count(v => !v.IsCoverArt),
        [.. m.Chapters.Select(c => new ProbeChapterDto(c.Start.TotalSeconds, c.End.TotalSeconds, c.Title))],
        m.Silences is { } silences ? [.. silences.Select(s => new ProbeSilenceDto(Math.Round(s.Start.TotalSeconds, 3), Math.Round(s.End.TotalSeconds, 3)))] : null);
}

public sealed record ProbeSilenceDto(double StartSeconds, double EndSeconds);

public sealed record ProbeTrackDto(int Index, string Codec, int Channels, string? ChannelLayout, int SampleRate, long? BitRate, string? Language, string? Title, bool IsDefault);

public sealed record ProbeChapterDto(double StartSeconds, double EndSeconds, string? Title);

public sealed record JobListDto(IReadOnlyList<JobDto> Jobs, string? NextCursor);
