using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vexaa;

/// <summary>
/// How every feature binds its settings: from its own section (environment <c>Vexaa__Workers__Count</c> binds
/// <c>Vexaa:Workers:Count</c>), checked at start by a list of problems that each name the full key.
/// </summary>
public static class Settings
{
    public const string Root = "Vexaa";

    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section, Func<T, IEnumerable<string>> problems)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new ProblemList<T>(problems));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>"<paramref name="key"/> must be between …", or nothing when <paramref name="value"/> is in range.</summary>
    public static IEnumerable<string> Range(string key, double value, double min, double max) =>
        value < min || value > max ? [$"{key} must be between {min} and {max} (it is {value})."] : [];

    private sealed class ProblemList<T>(Func<T, IEnumerable<string>> problems) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var found = problems(options).ToList();
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
