using FsCheck;
using FsCheck.Fluent;
using Vexaa.Media;
using Vexaa.Tests.Support;

namespace Vexaa.Tests.Fuzz;

/// <summary>
/// The option parsers on random input: any string either parses or fails with <c>invalid-option</c>; no other
/// exception, ever. Strings are drawn both from all of Unicode and from the characters the grammars use, so that
/// near-misses ("1:60", "99999999999k", "-0.5") are common rather than one in a million.
/// </summary>
public sealed class ParserProperties
{
    private const int Cases = 400;
    private static readonly Config Run = Config.QuickThrowOnFailure.WithMaxTest(Cases);

    private static readonly Gen<string> Grammarish = Gen.Elements("0123456789:.,-+ kKmMgGbBtT=eE\t\u00a0٣".ToCharArray())
        .ArrayOf().Select(chars => new string(chars));

    private static readonly Gen<string> Anything = Gen.OneOf(ArbMap.Default.GeneratorFor<string>().Where(s => s is not null), Grammarish);

    private static bool ParsesOrRefuses(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (MediaException e)
        {
            return e.Error == MediaError.InvalidOption;
        }
    }

    private static void Check(string name, Func<string, bool> property)
    {
        Prop.ForAll(Anything.ToArbitrary(), property).Check(Run);
        Figures.Record("fuzz", name, Cases, 0);
    }

    [Fact]
    public void Time_strings_parse_or_are_refused_and_never_come_out_negative_or_past_a_week() =>
        Check("time-strings", s =>
        {
            try
            {
                var t = OptionParser.ParseTime(s, "--start");
                return t >= TimeSpan.Zero && t <= TimeSpan.FromDays(7);
            }
            catch (MediaException e)
            {
                return e.Error == MediaError.InvalidOption;
            }
        });

    [Fact]
    public void Bitrates_sample_rates_and_sizes_parse_or_are_refused() =>
        Check("option-values", s =>
            ParsesOrRefuses(() => OptionParser.ParseBitrate(s))
            && ParsesOrRefuses(() => OptionParser.ParseSampleRate(s))
            && ParsesOrRefuses(() => OptionParser.ParseSize(s, "--max-output-size"))
            && ParsesOrRefuses(() => OptionParser.ParseTag(s))
            && ParsesOrRefuses(() => OptionParser.ParseLanguage(s)));
}
