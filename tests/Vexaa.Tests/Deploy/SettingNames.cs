using System.Reflection;
using Vexaa.Server.Hosting;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Every setting VExAA binds, in environment form (Vexaa__Workers__Count), found by reflecting over each feature's
/// options class (<see cref="VexaaSettings.Sections"/>) and their nested classes: renaming a setting makes the
/// manifests that still use the old name fail their test.
/// </summary>
public static class SettingNames
{
    public static IReadOnlySet<string> Reflected { get; } = VexaaSettings.Sections
        .SelectMany(s => Collect(s.Type, s.Path.Replace(":", "__", StringComparison.Ordinal)))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Settings VExAA reads outside <see cref="VexaaSettings.Sections"/>: the key-ring key (read where data protection is set up,
    /// Vexaa.Server.Auth.KeyRingKey),.
    /// </summary>
    public static IReadOnlySet<string> ReadElsewhere { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Vexaa__" + Vexaa.Server.Auth.KeyRingKey.Setting["Vexaa:".Length..].Replace(":", "__", StringComparison.Ordinal),
    };

    // An array setting is set element by element (Vexaa__Http__KnownNetworks__0).
    public static bool IsSetting(string name) => Reflected.Contains(WithoutIndex(name)) || IsReadElsewhere(name);

    private static string WithoutIndex(string name) => System.Text.RegularExpressions.Regex.Replace(name, @"__\d+$", "");

    /// <summary>One of <see cref="ReadElsewhere"/>, or an element of one (Vexaa__Http__KnownNetworks__0).</summary>
    public static bool IsReadElsewhere(string name) => ReadElsewhere.Contains(WithoutIndex(name));

    private static IEnumerable<string> Collect(Type type, string prefix)
    {
        // What the configuration binder sets: public instance properties with a public setter.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var name = $"{prefix}__{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var nested = valueType.IsClass && valueType != typeof(string) && valueType.Assembly == type.Assembly;
            foreach (var setting in nested ? Collect(valueType, name) : [name])
            {
                yield return setting;
            }
        }
    }
}
