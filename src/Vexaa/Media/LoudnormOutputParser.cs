using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vexaa.Media;

/// <summary>
/// Collects the JSON blocks loudnorm prints to stderr at the end of a run. Each starts after a line tagged
/// <c>[Parsed_loudnorm_N @ ...]</c>, where N tells which filter (and so which track) measured it.
/// </summary>
internal sealed partial class LoudnormOutputParser
{
    private readonly Dictionary<int, (LoudnessMeasurement Input, LoudnessMeasurement Output)> _results = [];
    private StringBuilder? _block;
    private int _filter;

    public void Feed(string line)
    {
        var header = Header().Match(line);
        if (header.Success)
        {
            _filter = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
            _block = new StringBuilder();
            return;
        }

        if (_block is null)
        {
            return;
        }

        _block.Append(line).Append('\n');
        if (line.Trim() == "}")
        {
            Parse(_block.ToString());
            _block = null;
        }
    }

    /// <summary>
    /// The measurements of the <paramref name="filter"/>-th loudnorm of the graph (from 0): what it read and what it wrote.
    /// ffmpeg numbers every filter of a graph in order (Parsed_atrim_0, Parsed_loudnorm_1, ...), so with other filters in
    /// front (a silence cut) the numbers jump; their order is still the loudnorm filters' order.
    /// </summary>
    public (LoudnessMeasurement Input, LoudnessMeasurement Output)? Get(int filter)
    {
        var numbers = _results.Keys.Order().ToList();
        return filter < numbers.Count ? _results[numbers[filter]] : null;
    }

    private void Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            double Read(string name) =>
                root.TryGetProperty(name, out var v) && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d
                    : double.NaN;
            var offset = Read("target_offset");
            _results[_filter] = (
                new LoudnessMeasurement(Read("input_i"), Read("input_tp"), Read("input_lra"), Read("input_thresh"), offset),
                new LoudnessMeasurement(Read("output_i"), Read("output_tp"), Read("output_lra"), Read("output_thresh"), offset));
        }
        catch (JsonException)
        {
            // An unreadable block leaves that track unmeasured; the caller reports it.
        }
    }

    [GeneratedRegex(@"^\[Parsed_loudnorm_(\d+) @ [^\]]+\]")]
    private static partial Regex Header();
}
