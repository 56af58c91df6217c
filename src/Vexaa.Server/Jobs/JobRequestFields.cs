using System.Globalization;
using System.Text.Json;
using Vexaa.Jobs;
using Vexaa.Media;
using Vexaa.Webhooks;

namespace Vexaa.Server.Jobs;

/// <summary>
/// The fields a job request may carry, from a multipart form or a JSON body, read strictly: an unknown field or a value
/// of the wrong shape is an error naming the field, never silently ignored.
/// </summary>
internal sealed class JobRequestFields
{
    private static readonly HashSet<string> Known =
    [
        "format", "bitrate", "quality", "sampleRate", "channels", "track", "language", "allTracks", "start", "end", "normalize",
        "tags", "keepTags", "webhookUrl", "uploadId", "split", "fromJob", "formats", "package", "cover",
        "uploadIds", "gap", "crossfade", "trimSilence", "maxPause", "silenceThreshold", "silenceMin",
    ];

    /// <summary>Every field name a request may carry (the OpenAPI document must describe each).</summary>
    internal static IReadOnlySet<string> Names => Known;

    /// <summary>The one value the package field takes.</summary>
    public const string BagIt = Vexaa.Jobs.JobOptions.BagIt;

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <summary>The SHA-256 of the form's <c>coverImage</c> part, once it is stored; null without one.</summary>
    public string? CoverImageSha256 { get; set; }

    /// <summary>JSON's <c>coverImage</c>, in base64, until it is stored.</summary>
    public string? CoverImageBase64 { get; set; }

    public void Add(string name, string value)
    {
        if (!Known.Contains(name))
        {
            throw MediaException.Invalid($"Unknown field '{name}'; the fields are {string.Join(", ", Known.Order())}.");
        }

        if (!_values.TryGetValue(name, out var list))
        {
            _values[name] = list = [];
        }

        list.Add(value);
    }

    public static JobRequestFields FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw MediaException.Invalid("The body must be a JSON object.");
        }

        var fields = new JobRequestFields();
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == "tags" && property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var tag in property.Value.EnumerateObject())
                {
                    fields.Add("tags", tag.Name + "=" + tag.Value.ToString());
                }
            }
            else if (property.Name is "formats" or "uploadIds" && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    fields.Add(property.Name, item.ValueKind == JsonValueKind.String ? item.GetString()!
                        : throw MediaException.Invalid(property.Name == "formats" ? "Field 'formats' must list format names." : "Field 'uploadIds' must list upload ids."));
                }
            }
            else if (property.Name == "coverImage" && property.Value.ValueKind == JsonValueKind.String)
            {
                // The picture itself, not an option: stored by the submission, which then sets CoverImageSha256.
                fields.CoverImageBase64 = property.Value.GetString();
            }
            else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                throw MediaException.Invalid($"Field '{property.Name}' must be a single value.");
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                fields.Add(property.Name, property.Value.ToString());
            }
        }

        return fields;
    }

    /// <summary>Every value of a repeatable field, in the order given (empty when absent).</summary>
    public IReadOnlyList<string> All(string name) => _values.GetValueOrDefault(name) ?? [];

    public string? Single(string name) => _values.TryGetValue(name, out var list)
        ? list.Count == 1 ? list[0] : throw MediaException.Invalid($"Field '{name}' was given {list.Count} times.")
        : null;

    public JobOptions ToOptions()
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in _values.GetValueOrDefault("tags") ?? [])
        {
            var parsed = OptionParser.ParseTag(tag);
            tags[parsed.Key] = parsed.Value;
        }

        return new JobOptions
        {
            Format = Single("format"),
            Bitrate = Single("bitrate"),
            Quality = Number("quality"),
            SampleRate = Single("sampleRate"),
            Channels = Whole("channels"),
            Track = Whole("track"),
            Language = Single("language"),
            AllTracks = Flag("allTracks") ?? false,
            Start = Single("start"),
            End = Single("end"),
            Normalize = Single("normalize"),
            Tags = tags.Count > 0 ? tags : null,
            KeepTags = Flag("keepTags") ?? true,
            Split = Single("split"),
            // The form repeats the field (or separates by commas), JSON gives an array (or a comma-separated string).
            Formats = _values.GetValueOrDefault("formats") is { } formats ? [.. formats.SelectMany(f => f.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))] : null,
            Package = Single("package"),
            TrimSilence = Flag("trimSilence") ?? false,
            MaxPause = Single("maxPause"),
            SilenceThreshold = Single("silenceThreshold"),
            SilenceMin = Single("silenceMin"),
            Gap = Single("gap"),
            Crossfade = Single("crossfade"),
            Cover = CoverImageSha256 is null ? Single("cover")
                : Single("cover") is null or JobOptions.CoverFromImage ? JobOptions.CoverFromImage
                : throw MediaException.Invalid("Give the cover as a time, auto, or a coverImage part, not both."),
            CoverImageSha256 = CoverImageSha256,
        };
    }

    /// <summary>
    /// Everything the request asks for, checked once with the engine's own rules (so the API accepts exactly what the CLI
    /// accepts) and the webhook's address with the dispatcher's: run it before anything is taken or copied, so a refused
    /// request uses nothing up. A value of the wrong shape still throws <see cref="MediaException"/> naming the field.
    /// </summary>
    public async Task<Refusable<CheckedRequest>> CheckAsync(CancellationToken cancellationToken)
    {
        var options = ToOptions();
        var extraction = options.ToExtractionOptions();
        var webhookUrl = Single("webhookUrl");
        if (webhookUrl is not null)
        {
            if (WebhookAddressGuard.Problem(webhookUrl) is { } problem)
            {
                return Problems.InvalidOption(problem);
            }

            if (await WebhookAddressGuard.RefusalAsync(webhookUrl, cancellationToken) is { } refusal)
            {
                return Problems.Of(400, "webhook-address-refused", refusal);
            }
        }

        return new CheckedRequest(options, extraction, webhookUrl);
    }

    private double? Number(string name) => Single(name) is { } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : throw MediaException.Invalid($"Field '{name}' must be a number, not '{v}'.")
        : null;

    private int? Whole(string name) => Single(name) is { } v
        ? int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : throw MediaException.Invalid($"Field '{name}' must be a whole number, not '{v}'.")
        : null;

    private bool? Flag(string name) => Single(name) is { } v
        ? v.ToLowerInvariant() switch
        {
            "true" or "1" or "on" or "yes" => true,
            "false" or "0" or "off" or "no" => false,
            _ => throw MediaException.Invalid($"Field '{name}' must be true or false, not '{v}'."),
        }
        : null;
}

/// <summary>A job request's options as stored (<see cref="Options"/>) and as the engine reads them (<see cref="Extraction"/>).</summary>
internal sealed record CheckedRequest(JobOptions Options, ExtractionOptions Extraction, string? WebhookUrl);
