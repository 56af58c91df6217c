using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vexaa.Media;

/// <summary>Durations as seconds (a number) in JSON: what scripts and archives want to compute with.</summary>
public sealed class SecondsJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromSeconds(reader.GetDouble());

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Math.Round(value.TotalSeconds, 6));
}
