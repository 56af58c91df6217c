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

    /// <summary>The measurements of filter <paramref name="filter"/>: what it read and what it wrote.</summary>
    public (LoudnessMeasurement Input, LoudnessMeasurement Output)? Get(int filter) =>
        _results.TryGetValue(filter, out var r) ? r : null;

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
